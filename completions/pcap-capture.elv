
use builtin;
use str;

set edit:completion:arg-completer[pcap-capture] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-capture'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-capture'= {
            cand -i 'Capture on IFACE (a name, `any`, or a number from -D); repeatable (several interfaces need pcapng unless they share a link type)'
            cand --interface 'Capture on IFACE (a name, `any`, or a number from -D); repeatable (several interfaces need pcapng unless they share a link type)'
            cand -w 'Write packets to FILE ("-" for standard output); strftime patterns with -G'
            cand -f 'Capture filter in libpcap (BPF) syntax; the trailing EXPRESSION words do the same'
            cand -C 'Start a new file when the current one is larger than this many millions of bytes (tcpdump -C)'
            cand -G 'Start a new file every SECONDS seconds (tcpdump -G; the -w name is expanded with strftime)'
            cand -W 'With -C: keep a ring of COUNT files; with -G alone: stop after COUNT files (tcpdump -W)'
            cand -b 'dumpcap ring buffer: filesize:KB (1000 bytes), duration:SECONDS, interval:SECONDS, packets:N, files:N; repeatable'
            cand -F 'File format (default: pcapng with -b or a .pcapng name, else pcap)'
            cand -c 'Stop after writing COUNT packets'
            cand -a 'Stop when COND holds: duration:SECONDS or packets:N (dumpcap -a)'
            cand -s 'Bytes kept of each packet (default 262144; 0 means the default)'
            cand --snapshot-length 'Bytes kept of each packet (default 262144; 0 means the default)'
            cand -B 'Kernel capture buffer size in KiB (tcpdump -B; default libpcap''s 2 MiB)'
            cand --buffer-size 'Kernel capture buffer size in KiB (tcpdump -B; default libpcap''s 2 MiB)'
            cand --time-stamp-precision 'Time-stamp precision written (default: micro for pcap as tcpdump, nano for pcapng as dumpcap)'
            cand --comment 'pcapng section comment (dumpcap --capture-comment); repeatable'
            cand -p 'Don''t put the interface into promiscuous mode'
            cand --no-promiscuous-mode 'Don''t put the interface into promiscuous mode'
            cand --immediate-mode 'Deliver packets as they arrive instead of in blocks (lower latency, more CPU)'
            cand -U 'Flush the file after every packet (tcpdump -U)'
            cand --packet-buffered 'Flush the file after every packet (tcpdump -U)'
            cand -D 'Print the interfaces, numbered, and exit'
            cand --list-interfaces 'Print the interfaces, numbered, and exit'
            cand -q 'Don''t print the listening line and the counts on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
    ]
    $completions[$command]
}
