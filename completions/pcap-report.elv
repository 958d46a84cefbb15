
use builtin;
use str;

set edit:completion:arg-completer[pcap-report] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-report'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-report'= {
            cand -r 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream'
            cand --read-file 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream'
            cand -o 'Folder for pcap_forensic_report.json and report.html (created if missing)'
            cand --output-dir 'Folder for pcap_forensic_report.json and report.html (created if missing)'
            cand -c 'Stop after COUNT packets'
            cand --top 'Rows of the conversation, protocol-distribution, endpoint and name tables (the seed''s 50)'
            cand --dns-limit 'DNS queries listed in dns_queries (the seed''s first 200)'
            cand --beacon-threshold 'potential_beacons: the seed''s variance threshold'
            cand --min-score 'beacons: the lowest RITA beacon score listed, 0 to 1 (0.5 is where RITA''s low severity starts; strobes are always listed)'
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
            cand --all-pairs 'beacons: score every pair of hosts, internal to internal too (RITA scores only pairs between its internal subnets and the outside)'
            cand --show-secrets 'Put passwords and hash lines in the report (they are redacted by default)'
            cand --export-objects 'Also write the transferred files into OUTDIR/objects/<protocol>/ (as pcap-export-objects does); without it only the manifest is reported'
            cand --no-html 'Write only the JSON report'
            cand --json 'Also print the JSON report on standard output (the console summary goes to standard error)'
            cand --timings 'Print on standard error how long the pass and the writing of each file took'
            cand -q 'Quiet: no console summary, no progress bar'
            cand -n 'Disable name resolution (pcap-report never resolves names)'
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
