complete -c pcap-tshark -s h -l help -d 'Print this help (the routing rules)'
