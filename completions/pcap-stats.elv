
use builtin;
use str;

set edit:completion:arg-completer[pcap-stats] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-stats'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-stats'= {
            cand -r 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables'
            cand --read-file 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables'
            cand -z 'A statistic: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE: eth, ip, ipv6, tcp, udp), io,phs[,FILTER], io,stat,INTERVAL[,FILTER...]'
            cand -Y 'Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)'
            cand --display-filter 'Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)'
            cand --format 'Output: text (tshark''s tables), or tsv, csv, json: one row per conversation, endpoint, protocol or interval with raw numbers (columns below)'
            cand -N 'Name resolution flags (accepted; addresses print as with -n)'
            cand -v 'Print the version'
            cand --version 'Print the version'
            cand -q 'Quiet: no progress bar (pcap-stats never prints packet lines)'
            cand -n 'Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)'
            cand --no-progress 'Never show a progress bar (one is shown on a terminal for long reads)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
    ]
    $completions[$command]
}
