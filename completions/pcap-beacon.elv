
use builtin;
use str;

set edit:completion:arg-completer[pcap-beacon] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-beacon'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-beacon'= {
            cand -r 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded'
            cand --read-file 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded'
            cand --method 'rita: RITA v5''s beacon score per (source, name) and (source, destination); variance: the seed playbook''s detector (per source, destination and TCP port: at least 5 packets, variance of the gaps below --threshold, mean gap above 1 s)'
            cand --format 'Output format (columns below)'
            cand --min-score 'Only candidates scoring at least SCORE (0 to 1; strobes are always listed)'
            cand --span 'Histogram bins: rita (24 over the window, RITA''s definition) or auto (scaled to the candidate''s interval on captures shorter than 24 of them)'
            cand --explain 'Explain one candidate''s score instead of the table: its rank in the output (1 = top), or SRC,DST or SRC,NAME'
            cand --internal 'An internal network (repeatable; replaces RITA''s default 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8). As RITA does, only connections from an internal address to an external one are analysed'
            cand --plot 'Write an SVG per top candidate into DIR (created if missing): gap histogram and connection timeline'
            cand --top 'Candidates plotted by --plot'
            cand --threshold '--method variance: report keys whose gap variance is below this (the seed''s threshold_seconds)'
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
            cand --all-pairs 'Analyse connections whatever the direction (internal to internal, external to internal, ...); loopback, link-local, multicast and broadcast addresses stay left out, as in RITA'
            cand -q 'Quiet: no progress bar and no summary on standard error'
            cand -n 'Disable name resolution (accepted; addresses are never resolved)'
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
