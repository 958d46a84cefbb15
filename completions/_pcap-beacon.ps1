
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pcap-beacon' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pcap-beacon'
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
        'pcap-beacon' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded')
            [CompletionResult]::new('--read-file', '--read-file', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'rita: RITA v5''s beacon score per (source, name) and (source, destination); variance: the seed playbook''s detector (per source, destination and TCP port: at least 5 packets, variance of the gaps below --threshold, mean gap above 1 s)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (columns below)')
            [CompletionResult]::new('--min-score', '--min-score', [CompletionResultType]::ParameterName, 'Only candidates scoring at least SCORE (0 to 1; strobes are always listed)')
            [CompletionResult]::new('--span', '--span', [CompletionResultType]::ParameterName, 'Histogram bins: rita (24 over the window, RITA''s definition) or auto (scaled to the candidate''s interval on captures shorter than 24 of them)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Explain one candidate''s score instead of the table: its rank in the output (1 = top), or SRC,DST or SRC,NAME')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'An internal network (repeatable; replaces RITA''s default 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fd00::/8). As RITA does, only connections from an internal address to an external one are analysed')
            [CompletionResult]::new('--plot', '--plot', [CompletionResultType]::ParameterName, 'Write an SVG per top candidate into DIR (created if missing): gap histogram and connection timeline')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Candidates plotted by --plot')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, '--method variance: report keys whose gap variance is below this (the seed''s threshold_seconds)')
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
            [CompletionResult]::new('--all-pairs', '--all-pairs', [CompletionResultType]::ParameterName, 'Analyse connections whatever the direction (internal to internal, external to internal, ...); loopback, link-local, multicast and broadcast addresses stay left out, as in RITA')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Quiet: no progress bar and no summary on standard error')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Disable name resolution (accepted; addresses are never resolved)')
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
