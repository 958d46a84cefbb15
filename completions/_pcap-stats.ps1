
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pcap-stats' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pcap-stats'
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
        'pcap-stats' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables')
            [CompletionResult]::new('--read-file', '--read-file', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; all inputs count into the same tables')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'A statistic: conv,TYPE[,FILTER], endpoints,TYPE[,FILTER] (TYPE: eth, ip, ipv6, tcp, udp), io,phs[,FILTER], io,stat,INTERVAL[,FILTER...]')
            [CompletionResult]::new('-Y', '-Y ', [CompletionResultType]::ParameterName, 'Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)')
            [CompletionResult]::new('--display-filter', '--display-filter', [CompletionResultType]::ParameterName, 'Display filter: checked as tshark checks it; as with tshark, statistics still count every packet (use a -z filter to restrict them)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output: text (tshark''s tables), or tsv, csv, json: one row per conversation, endpoint, protocol or interval with raw numbers (columns below)')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Name resolution flags (accepted; addresses print as with -n)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Dissecting threads (default: one per core, at most 4). Used when every statistic is a conversation table of eth, ip, ipv6 or tcp or an endpoint table, with filters on fields kept per conversation; the output is the same with any N')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)')
            [CompletionResult]::new('--interface', '--interface', [CompletionResultType]::ParameterName, 'Capture live from IFACE (a name, `any`, or a number from -D); repeatable. Needs libpcap at run time and capture rights (root or cap_net_raw,cap_net_admin)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Capture filter in libpcap (BPF) syntax, e.g. "port 53" or "host 192.168.1.100"')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)')
            [CompletionResult]::new('--autostop', '--autostop', [CompletionResultType]::ParameterName, 'Stop the capture when COND holds: duration:SECONDS or packets:N (output is then complete, as after Ctrl-C)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Bytes kept of each captured packet (default 262144)')
            [CompletionResult]::new('--snapshot-length', '--snapshot-length', [CompletionResultType]::ParameterName, 'Bytes kept of each captured packet (default 262144)')
            [CompletionResult]::new('-B', '-B ', [CompletionResultType]::ParameterName, 'Kernel capture buffer size in MiB (default 2)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Kernel capture buffer size in MiB (default 2)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Stop after reading COUNT packets')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print the version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print the version')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Quiet: no progress bar (pcap-stats never prints packet lines)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)')
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
