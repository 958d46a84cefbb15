
use builtin;
use str;

set edit:completion:arg-completer[pcap-tshark] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-tshark'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-tshark'= {
            cand -h 'Print this help (the routing rules)'
            cand --help 'Print this help (the routing rules)'
        }
    ]
    $completions[$command]
}
