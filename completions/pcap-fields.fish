complete -c pcap-fields -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded' -r
complete -c pcap-fields -s Y -l display-filter -d 'Wireshark display filter: print only the packets that match' -r
complete -c pcap-fields -s R -l read-filter -d 'Read filter (needs -2): packets that do not match are dropped before numbering' -r
complete -c pcap-fields -s T -d 'Output format: fields (one line per packet), json or ek (Elasticsearch bulk); all need -e' -r
complete -c pcap-fields -s e -d 'A field to print (repeatable), e.g. ip.src, tcp.dstport, frame.time_epoch' -r
complete -c pcap-fields -s E -d 'Field output option: bom=y|n header=y|n separator=/t|/s|<char> occurrence=f|l|a aggregator=,|/s|<char> quote=d|s|n' -r
complete -c pcap-fields -s c -d 'Stop after reading COUNT packets' -r
complete -c pcap-fields -s N -d 'Name resolution flags (accepted; pcap-fields prints addresses as with -n)' -r
complete -c pcap-fields -s G -d 'Print a glossary and exit: `fields` lists every field pcap-fields dissects' -r
complete -c pcap-fields -l threads -d 'Dissecting threads (default: one per core, at most 4). Used when every field and the filter depend only on state kept per pair of hosts (HTTP, TLS, FTP, DNS names, addresses, ports); the output is the same with any N' -r
complete -c pcap-fields -s i -l interface -d 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)' -r
complete -c pcap-fields -s f -d 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"' -r
complete -c pcap-fields -s a -l autostop -d 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)' -r
complete -c pcap-fields -s s -l snapshot-length -d 'Bytes kept of each captured packet (default 262144)' -r
complete -c pcap-fields -s B -l buffer-size -d 'Kernel capture buffer size in MiB (default 2)' -r
complete -c pcap-fields -s v -l version -d 'Print the version'
complete -c pcap-fields -s 2 -d 'Two-pass analysis (accepted; filters behave as with tshark -2)'
complete -c pcap-fields -s n -d 'Disable name resolution (pcap-fields never resolves names; accepted for tshark compatibility)'
complete -c pcap-fields -s q -d 'Quiet: no progress bar'
complete -c pcap-fields -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-fields -s D -l list-interfaces -d 'Print the interfaces live capture can use, numbered, and exit'
complete -c pcap-fields -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-fields -s l -d 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark\'s -l)'
complete -c pcap-fields -l no-mmap -d 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
complete -c pcap-fields -s h -l help -d 'Print help'
