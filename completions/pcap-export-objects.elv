
use builtin;
use str;

set edit:completion:arg-completer[pcap-export-objects] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pcap-export-objects'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pcap-export-objects'= {
            cand -r 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream'
            cand --read-file 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream'
            cand --export-objects 'Write the objects of PROTO (http, imf, smb, tftp, ftp-data, dicom) into DIR, created if needed; "help" lists the protocols'
            cand --manifest 'Also write a manifest of every object (frame, protocol, addresses, host, content type, size, completeness, SHA-256, MD5, file name): JSON if FILE ends in .json, else TSV'
            cand --max-object-size 'Cut each object (and each decompressed body) at this size, with a warning; suffixes K, M, G'
            cand -Y 'Display filter: checked as tshark checks it; as with tshark, objects are exported whatever it matches'
            cand --display-filter 'Display filter: checked as tshark checks it; as with tshark, objects are exported whatever it matches'
            cand -c 'Stop after reading N packets'
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
            cand --ranges 'Assemble HTTP 206 partial responses (Content-Range) into one file per resource, as NetworkMiner does (tshark writes each part as its own object; off by default for compatibility)'
            cand --list 'Print the manifest (TSV) on stdout without writing any file'
            cand -q 'Quiet: no progress bar (pcap-export-objects never prints packet lines)'
            cand -n 'Disable name resolution (accepted; nothing is resolved)'
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
