complete -c pcap-stats -s r -l read-file -d 'Read packets from INFILE (pcap, pcapng, gzip\'d; "-" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables' -r
complete -c pcap-stats -s z -d 'A statistic: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE: eth, ip, ipv6, tcp, udp), io,phs[,FILTER], io,stat,INTERVAL[,FILTER...]' -r
complete -c pcap-stats -s Y -l display-filter -d 'Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)' -r
complete -c pcap-stats -l format -d 'Output: text (tshark\'s tables), or tsv, csv, json: one row per conversation, endpoint, protocol or interval with raw numbers (columns below)' -r -f -a "text\t''
tsv\t''
csv\t''
json\t''"
complete -c pcap-stats -s N -d 'Name resolution flags (accepted; addresses print as with -n)' -r
complete -c pcap-stats -s v -l version -d 'Print the version'
complete -c pcap-stats -s q -d 'Quiet: no progress bar (pcap-stats never prints packet lines)'
complete -c pcap-stats -s n -d 'Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)'
complete -c pcap-stats -l no-progress -d 'Never show a progress bar (one is shown on a terminal for long reads)'
complete -c pcap-stats -s h -l help -d 'Print help'
