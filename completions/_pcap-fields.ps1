
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pcap-fields' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pcap-fields'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pcap-fields' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded')
            [CompletionResult]::new('--read-file', '--read-file', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded')
            [CompletionResult]::new('-Y', '-Y ', [CompletionResultType]::ParameterName, 'Wireshark display filter: print only the packets that match')
            [CompletionResult]::new('--display-filter', '--display-filter', [CompletionResultType]::ParameterName, 'Wireshark display filter: print only the packets that match')
            [CompletionResult]::new('-R', '-R ', [CompletionResultType]::ParameterName, 'Read filter (needs -2): packets that do not match are dropped before numbering')
            [CompletionResult]::new('--read-filter', '--read-filter', [CompletionResultType]::ParameterName, 'Read filter (needs -2): packets that do not match are dropped before numbering')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'Output format: fields (one line per packet), json or ek (Elasticsearch bulk); all need -e')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'A field to print (repeatable), e.g. ip.src, tcp.dstport, frame.time_epoch')
            [CompletionResult]::new('-E', '-E ', [CompletionResultType]::ParameterName, 'Field output option: bom=y|n header=y|n separator=/t|/s|<char> occurrence=f|l|a aggregator=,|/s|<char> quote=d|s|n')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Stop after reading COUNT packets')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Name resolution flags (accepted; pcap-fields prints addresses as with -n)')
            [CompletionResult]::new('-G', '-G ', [CompletionResultType]::ParameterName, 'Print a glossary and exit: `fields` lists every field pcap-fields dissects')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Dissecting threads (default: one per core, at most 4). Used when every field and the filter depend only on state kept per pair of hosts (HTTP, TLS, FTP, DNS names, addresses, ports); the output is the same with any N')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)')
            [CompletionResult]::new('--interface', '--interface', [CompletionResultType]::ParameterName, 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)')
            [CompletionResult]::new('--autostop', '--autostop', [CompletionResultType]::ParameterName, 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Bytes kept of each captured packet (default 262144)')
            [CompletionResult]::new('--snapshot-length', '--snapshot-length', [CompletionResultType]::ParameterName, 'Bytes kept of each captured packet (default 262144)')
            [CompletionResult]::new('-B', '-B ', [CompletionResultType]::ParameterName, 'Kernel capture buffer size in MiB (default 2)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Kernel capture buffer size in MiB (default 2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print the version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print the version')
            [CompletionResult]::new('-2', '-2', [CompletionResultType]::ParameterName, 'Two-pass analysis (accepted; filters behave as with tshark -2)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Disable name resolution (pcap-fields never resolves names; accepted for tshark compatibility)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Quiet: no progress bar')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show a progress bar (one is shown on a terminal for long reads)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print the interfaces live capture can use, numbered, and exit')
            [CompletionResult]::new('--list-interfaces', '--list-interfaces', [CompletionResultType]::ParameterName, 'Print the interfaces live capture can use, numbered, and exit')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Don''t put the interface into promiscuous mode')
            [CompletionResult]::new('--no-promiscuous-mode', '--no-promiscuous-mode', [CompletionResultType]::ParameterName, 'Don''t put the interface into promiscuous mode')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Flush the output after each packet (pcap-fields does so whenever it captures live; accepted by every tool as tshark''s -l)')
            [CompletionResult]::new('--no-mmap', '--no-mmap', [CompletionResultType]::ParameterName, 'Read capture files with read(2) instead of memory-mapping them (mapping avoids a copy of every byte; a file that shrinks while it is mapped ends the run)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
