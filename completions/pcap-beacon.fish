complete -c pcap-beacon -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded' -r
complete -c pcap-beacon -l method -d 'rita: RITA v5\'s beacon score per (source, name) and (source, destination); variance: the seed playbook\'s detector (per source, destination and TCP port: at least 5 packets, variance of the gaps below --threshold, mean gap above 1 s)' -r -f -a "rita\t''
variance\t''"
complete -c pcap-beacon -l format -d 'Output format (columns below)' -r -f -a "tsv\t''
csv\t''
json\t''"
complete -c pcap-beacon -l min-score -d 'Only candidates scoring at least SCORE (0 to 1; strobes are always listed)' -r
complete -c pcap-beacon -l span -d 'Histogram bins: rita (24 over the window, RITA\'s definition) or auto (scaled to the candidate\'s interval on captures shorter than 24 of them)' -r -f -a "rita\t''
auto\t''"
complete -c pcap-beacon -l explain -d 'Explain one candidate\'s score instead of the table: its rank in the output (1 = top), or SRC,DST or SRC,NAME' -r
complete -c pcap-beacon -l internal -d 'An internal network (repeatable; replaces RITA\'s default 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8). As RITA does, only connections from an internal address to an external one are analysed' -r
complete -c pcap-beacon -l plot -d 'Write an SVG per top candidate into DIR (created if missing): gap histogram and connection timeline' -r
complete -c pcap-beacon -l top -d 'Candidates plotted by --plot' -r
complete -c pcap-beacon -l threshold -d '--method variance: report keys whose gap variance is below this (the seed\'s threshold_seconds)' -r
complete -c pcap-beacon -s i -l interface -d 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)' -r
complete -c pcap-beacon -s f -d 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"' -r
complete -c pcap-beacon -s a -l autostop -d 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)' -r
complete -c pcap-beacon -s s -l snapshot-length -d 'Bytes kept of each captured packet (default 262144)' -r
complete -c pcap-beacon -s B -l buffer-size -d 'Kernel capture buffer size in MiB (default 2)' -r
complete -c pcap-beacon -s c -d 'Stop after reading COUNT packets' -r
complete -c pcap-beacon -s v -l version -d 'Print the version'
complete -c pcap-beacon -l all-pairs -d 'Analyse connections whatever the direction (internal to internal, external to internal, ...); loopback, link-local, multicast and broadcast addresses stay left out, as in RITA'
complete -c pcap-beacon -s q -d 'Quiet: no progress bar and no summary on standard error'
complete -c pcap-beacon -s n -d 'Disable name resolution (accepted; addresses are never resolved)'
complete -c pcap-beacon -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-beacon -s D -l list-interfaces -d 'Print the interfaces live capture can use, numbered, and exit'
complete -c pcap-beacon -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-beacon -s l -d 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark\'s -l)'
complete -c pcap-beacon -l no-mmap -d 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
complete -c pcap-beacon -s h -l help -d 'Print help'
