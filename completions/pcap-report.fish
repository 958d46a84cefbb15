complete -c pcap-report -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream' -r
complete -c pcap-report -s o -l output-dir -d 'Folder for pcap_forensic_report.json and report.html (created if missing)' -r
complete -c pcap-report -s c -d 'Stop after COUNT packets' -r
complete -c pcap-report -l top -d 'Rows of the conversation, protocol-distribution, endpoint and name tables (the seed\'s 50)' -r
complete -c pcap-report -l dns-limit -d 'DNS queries listed in dns_queries (the seed\'s first 200)' -r
complete -c pcap-report -l beacon-threshold -d 'potential_beacons: the seed\'s variance threshold' -r
complete -c pcap-report -l min-score -d 'beacons: the lowest RITA beacon score listed, 0 to 1 (0.5 is where RITA\'s low severity starts; strobes are always listed)' -r
complete -c pcap-report -s i -l interface -d 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)' -r
complete -c pcap-report -s f -d 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"' -r
complete -c pcap-report -s a -l autostop -d 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)' -r
complete -c pcap-report -s s -l snapshot-length -d 'Bytes kept of each captured packet (default 262144)' -r
complete -c pcap-report -s B -l buffer-size -d 'Kernel capture buffer size in MiB (default 2)' -r
complete -c pcap-report -s v -l version -d 'Print the version'
complete -c pcap-report -l all-pairs -d 'beacons: score every pair of hosts, internal to internal too (RITA scores only pairs between its internal subnets and the outside)'
complete -c pcap-report -l show-secrets -d 'Put passwords and hash lines in the report (they are redacted by default)'
complete -c pcap-report -l export-objects -d 'Also write the transferred files into OUTDIR/objects/<protocol>/ (as pcap-export-objects does); without it only the manifest is reported'
complete -c pcap-report -l no-html -d 'Write only the JSON report'
complete -c pcap-report -l json -d 'Also print the JSON report on standard output (the console summary goes to standard error)'
complete -c pcap-report -l timings -d 'Print on standard error how long the pass and the writing of each file took'
complete -c pcap-report -s q -d 'Quiet: no console summary, no progress bar'
complete -c pcap-report -s n -d 'Disable name resolution (pcap-report never resolves names)'
complete -c pcap-report -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-report -s D -l list-interfaces -d 'Print the interfaces live capture can use, numbered, and exit'
complete -c pcap-report -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-report -s l -d 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark\'s -l)'
complete -c pcap-report -l no-mmap -d 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
complete -c pcap-report -s h -l help -d 'Print help'
