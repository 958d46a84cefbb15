complete -c pcap-export-objects -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream' -r
complete -c pcap-export-objects -l export-objects -d 'Write the objects of PROTO (http, imf, smb, tftp, ftp-data, dicom) into DIR, created if needed; "help" lists the protocols' -r
complete -c pcap-export-objects -l manifest -d 'Also write a manifest of every object (frame, protocol, addresses, host, content type, size, completeness, SHA-256, MD5, file name): JSON if FILE ends in .json, else TSV' -r
complete -c pcap-export-objects -l max-object-size -d 'Cut each object (and each decompressed body) at this size, with a warning; suffixes K, M, G' -r
complete -c pcap-export-objects -s Y -l display-filter -d 'Display filter: checked as tshark checks it; as with tshark, objects are exported whatever it matches' -r
complete -c pcap-export-objects -s c -d 'Stop after reading N packets' -r
complete -c pcap-export-objects -s i -l interface -d 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)' -r
complete -c pcap-export-objects -s f -d 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"' -r
complete -c pcap-export-objects -s a -l autostop -d 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)' -r
complete -c pcap-export-objects -s s -l snapshot-length -d 'Bytes kept of each captured packet (default 262144)' -r
complete -c pcap-export-objects -s B -l buffer-size -d 'Kernel capture buffer size in MiB (default 2)' -r
complete -c pcap-export-objects -s v -l version -d 'Print the version'
complete -c pcap-export-objects -l ranges -d 'Assemble HTTP 206 partial responses (Content-Range) into one file per resource, as NetworkMiner does (tshark writes each part as its own object; off by default for compatibility)'
complete -c pcap-export-objects -l list -d 'Print the manifest (TSV) on stdout without writing any file'
complete -c pcap-export-objects -s q -d 'Quiet: no progress bar (pcap-export-objects never prints packet lines)'
complete -c pcap-export-objects -s n -d 'Disable name resolution (accepted; nothing is resolved)'
complete -c pcap-export-objects -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-export-objects -s D -l list-interfaces -d 'Print the interfaces live capture can use, numbered, and exit'
complete -c pcap-export-objects -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-export-objects -s l -d 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark\'s -l)'
complete -c pcap-export-objects -l no-mmap -d 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
complete -c pcap-export-objects -s h -l help -d 'Print help'
