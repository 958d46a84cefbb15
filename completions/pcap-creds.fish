complete -c pcap-creds -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream' -r
complete -c pcap-creds -s z -d 'credentials[,ANYTHING]: print tshark\'s credentials table instead of the credential list (tshark ignores the argument too)' -r
complete -c pcap-creds -l format -d 'Credential list format: tsv, csv or json (columns below)' -r -f -a "tsv\t''
csv\t''
json\t''"
complete -c pcap-creds -l hashcat -d 'Also write each hash line to DIR/MODE.txt, one file per hashcat mode (DIR is created; files in it are replaced; nothing is written elsewhere)' -r
complete -c pcap-creds -l form-user-fields -d 'Comma-separated words: an HTTP form field whose lower-cased name contains one holds a username [default: user,login,email,uname,usr,account]' -r
complete -c pcap-creds -l form-password-fields -d 'Comma-separated words: an HTTP form field whose lower-cased name contains one holds a password [default: password,passwd,pass,pwd,secret]' -r
complete -c pcap-creds -s N -d 'Name resolution flags (accepted; addresses print as with -n)' -r
complete -c pcap-creds -l threads -d 'Dissecting threads, the frames split between them by conversation (default: one per core, at most 4); the output is the same with any N' -r
complete -c pcap-creds -s i -l interface -d 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)' -r
complete -c pcap-creds -s f -d 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"' -r
complete -c pcap-creds -s a -l autostop -d 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)' -r
complete -c pcap-creds -s s -l snapshot-length -d 'Bytes kept of each captured packet (default 262144)' -r
complete -c pcap-creds -s B -l buffer-size -d 'Kernel capture buffer size in MiB (default 2)' -r
complete -c pcap-creds -s c -d 'Stop after reading COUNT packets' -r
complete -c pcap-creds -s v -l version -d 'Print the version'
complete -c pcap-creds -l all -d 'List every attempt, not only the first of each (protocol, username, domain, secret)'
complete -c pcap-creds -l redact -d 'Mask secrets in the list (hash files written with --hashcat are not masked)'
complete -c pcap-creds -s q -d 'Quiet: no progress bar'
complete -c pcap-creds -s n -d 'Disable name resolution (pcap-creds never resolves names)'
complete -c pcap-creds -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-creds -s D -l list-interfaces -d 'Print the interfaces live capture can use, numbered, and exit'
complete -c pcap-creds -s p -l no-promiscuous-mode -d 'Don\'t put the interface into promiscuous mode'
complete -c pcap-creds -s l -d 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark\'s -l)'
complete -c pcap-creds -l no-mmap -d 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)'
complete -c pcap-creds -s h -l help -d 'Print help'
