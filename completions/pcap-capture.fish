complete -c pcap-capture -s i -l interface -d 'Capture on IFACE (a name, `any`, or a number from -D); repeatable (several interfaces need pcapng unless they share a link type)' -r
complete -c pcap-capture -s w -d 'Write packets to FILE ("-" for standard output); strftime patterns with -G' -r
complete -c pcap-capture -s f -d 'Capture filter in libpcap (BPF) syntax; the trailing EXPRESSION words do the same' -r
complete -c pcap-capture -s C -d 'Start a new file when the current one is larger than this many millions of bytes (tcpdump -C)' -r
complete -c pcap-capture -s G -d 'Start a new file every SECONDS seconds (tcpdump -G; the -w name is expanded with strftime)' -r
complete -c pcap-capture -s W -d 'With -C: keep a ring of COUNT files; with -G alone: stop after COUNT files (tcpdump -W)' -r
complete -c pcap-capture -s b -d 'dumpcap ring buffer: filesize:KB (1000 bytes), duration:SECONDS, interval:SECONDS, packets:N, files:N; repeatable' -r
complete -c pcap-capture -s F -d 'File format (default: pcapng with -b or a .pcapng name, else pcap)' -r
complete -c pcap-capture -s c -d 'Stop after writing COUNT packets' -r
complete -c pcap-capture -s a -d 'Stop when COND holds: duration:SECONDS or packets:N (dumpcap -a)' -r
complete -c pcap-capture -s s -l snapshot-length -d 'Bytes kept of each packet (default 262144; 0 means the default)' -r
complete -c pcap-capture -s B -l buffer-size -d 'Kernel capture buffer size in KiB (tcpdump -B; default libpcap\'s 2 MiB)' -r
complete -c pcap-capture -l time-stamp-precision -d 'Time-stamp precision written (default: micro for pcap as tcpdump, nano for pcapng as dumpcap)' -r -f -a "micro\t''
nano\t''"
complete -c pcap-capture -l comment -d 'pcapng section comment (dumpcap --capture-comment); repeatable' -r
complete -c pcap-capture -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-capture -l immediate-mode -d 'Deliver packets as they arrive instead of in blocks (lower latency, more CPU)'
complete -c pcap-capture -s U -l packet-buffered -d 'Flush the file after every packet (tcpdump -U)'
complete -c pcap-capture -s D -l list-interfaces -d 'Print the interfaces, numbered, and exit'
complete -c pcap-capture -s q -d 'Don\'t print the listening line and the counts on stderr'
complete -c pcap-capture -s h -l help -d 'Print help'
complete -c pcap-capture -s V -l version -d 'Print version'
