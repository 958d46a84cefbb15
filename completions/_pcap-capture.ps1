
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pcap-capture' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pcap-capture'
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
        'pcap-capture' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Capture on IFACE (a name, `any`, or a number from -D); repeatable (several interfaces need pcapng unless they share a link type)')
            [CompletionResult]::new('--interface', '--interface', [CompletionResultType]::ParameterName, 'Capture on IFACE (a name, `any`, or a number from -D); repeatable (several interfaces need pcapng unless they share a link type)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Write packets to FILE ("-" for standard output); strftime patterns with -G')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Capture filter in libpcap (BPF) syntax; the trailing EXPRESSION words do the same')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Start a new file when the current one is larger than this many millions of bytes (tcpdump -C)')
            [CompletionResult]::new('-G', '-G ', [CompletionResultType]::ParameterName, 'Start a new file every SECONDS seconds (tcpdump -G; the -w name is expanded with strftime)')
            [CompletionResult]::new('-W', '-W ', [CompletionResultType]::ParameterName, 'With -C: keep a ring of COUNT files; with -G alone: stop after COUNT files (tcpdump -W)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'dumpcap ring buffer: filesize:KB (1000 bytes), duration:SECONDS, interval:SECONDS, packets:N, files:N; repeatable')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'File format (default: pcapng with -b or a .pcapng name, else pcap)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Stop after writing COUNT packets')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Stop when COND holds: duration:SECONDS or packets:N (dumpcap -a)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Bytes kept of each packet (default 262144; 0 means the default)')
            [CompletionResult]::new('--snapshot-length', '--snapshot-length', [CompletionResultType]::ParameterName, 'Bytes kept of each packet (default 262144; 0 means the default)')
            [CompletionResult]::new('-B', '-B ', [CompletionResultType]::ParameterName, 'Kernel capture buffer size in KiB (tcpdump -B; default libpcap''s 2 MiB)')
            [CompletionResult]::new('--buffer-size', '--buffer-size', [CompletionResultType]::ParameterName, 'Kernel capture buffer size in KiB (tcpdump -B; default libpcap''s 2 MiB)')
            [CompletionResult]::new('--time-stamp-precision', '--time-stamp-precision', [CompletionResultType]::ParameterName, 'Time-stamp precision written (default: micro for pcap as tcpdump, nano for pcapng as dumpcap)')
            [CompletionResult]::new('--comment', '--comment', [CompletionResultType]::ParameterName, 'pcapng section comment (dumpcap --capture-comment); repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Don''t put the interface into promiscuous mode')
            [CompletionResult]::new('--no-promiscuous-mode', '--no-promiscuous-mode', [CompletionResultType]::ParameterName, 'Don''t put the interface into promiscuous mode')
            [CompletionResult]::new('--immediate-mode', '--immediate-mode', [CompletionResultType]::ParameterName, 'Deliver packets as they arrive instead of in blocks (lower latency, more CPU)')
            [CompletionResult]::new('-U', '-U ', [CompletionResultType]::ParameterName, 'Flush the file after every packet (tcpdump -U)')
            [CompletionResult]::new('--packet-buffered', '--packet-buffered', [CompletionResultType]::ParameterName, 'Flush the file after every packet (tcpdump -U)')
            [CompletionResult]::new('-D', '-D ', [CompletionResultType]::ParameterName, 'Print the interfaces, numbered, and exit')
            [CompletionResult]::new('--list-interfaces', '--list-interfaces', [CompletionResultType]::ParameterName, 'Print the interfaces, numbered, and exit')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Don''t print the listening line and the counts on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
