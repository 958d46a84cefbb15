
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
            cand --threads 'Dissecting threads, the frames split between them by conversation (default: one per core, at most 4); the output is the same with any N'
            cand -i 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)'
            cand --interface 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)'
            cand -f 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"'
            cand -a 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)'
            cand --autostop 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)'
            cand -s 'Bytes kept of each captured packet (default 262144)'
            cand --snapshot-length 'Bytes kept of each captured packet (default 262144)'
            cand -B 'Kernel capture buffer size in MiB (default 2)'
            cand --buffer-size 'Kernel capture buffer size in MiB (default 2)'
            cand -c 'Stop after reading COUNT packets'
            cand -v 'Print the version'
            cand --version 'Print the version'
            cand --all 'List every attempt, not only the first of each (protocol, username, domain, secret)'
            cand --redact 'Mask secrets in the list (hash files written with --hashcat are not masked)'
            cand -q 'Quiet: no progress bar'
            cand -n 'Disable name resolution (pcap-creds never resolves names)'
            cand --no-progress 'Never show a progress bar (one is shown on a terminal for long reads)'
            cand -D 'Print the interfaces live capture can use, numbered, and exit'
            cand --list-interfaces 'Print the interfaces live capture can use, numbered, and exit'
            cand -p 'Don''t put the interface into promiscuous mode'
            cand --no-promiscuous-mode 'Don''t put the interface into promiscuous mode'
            cand -l 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark''s -l)'
            cand --no-mmap 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
    ]
    $completions[$command]
}
