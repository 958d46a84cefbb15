
use builtin;
use str;

set edit:completion:arg-completer[pcap-creds] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-creds'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-creds'= {
            cand -r 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream'
            cand --read-file 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream'
            cand -z 'credentials[,ANYTHING]: print tshark''s credentials table instead of the credential list (tshark ignores the argument too)'
            cand --format 'Credential list format: tsv, csv or json (columns below)'
            cand --hashcat 'Also write each hash line to DIR/MODE.txt, one file per hashcat mode (DIR is created; files in it are replaced; nothing is written elsewhere)'
            cand --form-user-fields 'Comma-separated words: an HTTP form field whose lower-cased name contains one holds a username [default: user,login,email,uname,usr,account]'
            cand --form-password-fields 'Comma-separated words: an HTTP form field whose lower-cased name contains one holds a password [default: password,passwd,pass,pwd,secret]'
            cand -N 'Name resolution flags (accepted; addresses print as with -n)'
            cand -v 'Print the version'
            cand --version 'Print the version'
            cand --all 'List every attempt, not only the first of each (protocol, username, domain, secret)'
            cand --redact 'Mask secrets in the list (hash files written with --hashcat are not masked)'
            cand -q 'Quiet: no progress bar'
            cand -n 'Disable name resolution (pcap-creds never resolves names)'
            cand --no-progress 'Never show a progress bar (one is shown on a terminal for long reads)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
    ]
    $completions[$command]
}
