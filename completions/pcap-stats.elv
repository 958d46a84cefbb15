
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
            cand --threads 'Dissecting threads (default: one per core, at most 4). Used when every statistic is a conversation table of eth, ip, ipv6 or tcp or an endpoint table, with filters on fields kept per conversation; the output is the same with any N'
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
            cand -q 'Quiet: no progress bar (pcap-stats never prints packet lines)'
            cand -n 'Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)'
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
