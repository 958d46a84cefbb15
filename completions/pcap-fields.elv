
use builtin;
use str;

set edit:completion:arg-completer[pcap-fields] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-fields'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-fields'= {
            cand -r 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded'
            cand --read-file 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded'
            cand -Y 'Wireshark display filter: print only the packets that match'
            cand --display-filter 'Wireshark display filter: print only the packets that match'
            cand -R 'Read filter (needs -2): packets that do not match are dropped before numbering'
            cand --read-filter 'Read filter (needs -2): packets that do not match are dropped before numbering'
            cand -T 'Output format: fields (one line per packet), json or ek (Elasticsearch bulk); all need -e'
            cand -e 'A field to print (repeatable), e.g. ip.src, tcp.dstport, frame.time_epoch'
            cand -E 'Field output option: bom=y|n header=y|n separator=/t|/s|<char> occurrence=f|l|a aggregator=,|/s|<char> quote=d|s|n'
            cand -c 'Stop after reading COUNT packets'
            cand -N 'Name resolution flags (accepted; pcap-fields prints addresses as with -n)'
            cand -G 'Print a glossary and exit: `fields` lists every field pcap-fields dissects'
            cand --threads 'Dissecting threads (default: one per core, at most 4). Used when every field and the filter depend only on state kept per pair of hosts (HTTP, TLS, FTP, DNS names, addresses, ports); the output is the same with any N'
            cand -i 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)'
            cand --interface 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)'
            cand -f 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"'
            cand -a 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)'
            cand --autostop 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)'
            cand -s 'Bytes kept of each captured packet (default 262144)'
            cand --snapshot-length 'Bytes kept of each captured packet (default 262144)'
            cand -B 'Kernel capture buffer size in MiB (default 2)'
            cand --buffer-size 'Kernel capture buffer size in MiB (default 2)'
            cand -v 'Print the version'
            cand --version 'Print the version'
            cand -2 'Two-pass analysis (accepted; filters behave as with tshark -2)'
            cand -n 'Disable name resolution (pcap-fields never resolves names; accepted for tshark compatibility)'
            cand -q 'Quiet: no progress bar'
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
