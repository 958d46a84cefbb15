
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
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print the version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print the version')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Quiet: no progress bar (pcap-stats never prints packet lines)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Disable name resolution (pcap-stats never resolves names: addresses print as with tshark -n)')
            [CompletionResult]::new('--no-progress', '--no-progress', [CompletionResultType]::ParameterName, 'Never show a progress bar (one is shown on a terminal for long reads)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
