complete -c pcap-stats -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables' -r
complete -c pcap-stats -s z -d 'A statistic: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE: eth, ip, ipv6, tcp, udp), io,phs[,FILTER], io,stat,INTERVAL[,FILTER...]' -r
complete -c pcap-stats -s Y -l display-filter -d 'Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)' -r
complete -c pcap-stats -l format -d 'Output: text (tshark\'s tables), or tsv, csv, json: one row per conversation, endpoint, protocol or interval with raw numbers (columns below)' -r -f -a "text\t''
tsv\t''
csv\t''
json\t''"
complete -c pcap-stats -s N -d 'Name resolution flags (accepted; addresses print as with -n)' -r
complete -c pcap-stats -l threads -d 'Dissecting threads (default: one per core, at most 4). Used when every statistic is a conversation table of eth, ip, ipv6 or tcp or an endpoint table, with filters on fields kept per conversation; the output is the same with any N' -r
complete -c pcap-stats -s i -l interface -d 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)' -r
complete -c pcap-stats -s f -d 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"' -r
complete -c pcap-stats -s a -l autostop -d 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)' -r
complete -c pcap-stats -s s -l snapshot-length -d 'Bytes kept of each captured packet (default 262144)' -r
complete -c pcap-stats -s B -l buffer-size -d 'Kernel capture buffer size in MiB (default 2)' -r
complete -c pcap-stats -s c -d 'Stop after reading COUNT packets' -r
complete -c pcap-stats -s v -l version -d 'Print the version'
complete -c pcap-stats -s q -d 'Quiet: no progress bar (pcap-stats never prints packet lines)'
complete -c pcap-stats -s n -d 'Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)'
complete -c pcap-stats -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-stats -s D -l list-interfaces -d 'Print the interfaces live capture can use, numbered, and exit'
complete -c pcap-stats -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-stats -s l -d 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark\'s -l)'
complete -c pcap-stats -l no-mmap -d 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
complete -c pcap-stats -s h -l help -d 'Print help'
