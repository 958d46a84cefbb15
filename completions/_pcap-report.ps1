
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pcap-report' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pcap-report'
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
        'pcap-report' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream')
            [CompletionResult]::new('--read-file', '--read-file', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Folder for pcap_forensic_report.json and report.html (created if missing)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Folder for pcap_forensic_report.json and report.html (created if missing)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Stop after COUNT packets')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Rows of the conversation, protocol-distribution, endpoint and name tables (the seed''s 50)')
            [CompletionResult]::new('--dns-limit', '--dns-limit', [CompletionResultType]::ParameterName, 'DNS queries listed in dns_queries (the seed''s first 200)')
            [CompletionResult]::new('--beacon-threshold', '--beacon-threshold', [CompletionResultType]::ParameterName, 'potential_beacons: the seed''s variance threshold')
            [CompletionResult]::new('--min-score', '--min-score', [CompletionResultType]::ParameterName, 'beacons: the lowest RITA beacon score listed, 0 to 1 (0.5 is where RITA''s low severity starts; strobes are always listed)')
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
            [CompletionResult]::new('--all-pairs', '--all-pairs', [CompletionResultType]::ParameterName, 'beacons: score every pair of hosts, internal to internal too (RITA scores only pairs between its internal subnets and the outside)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Put passwords and hash lines in the report (they are redacted by default)')
            [CompletionResult]::new('--export-objects', '--export-objects', [CompletionResultType]::ParameterName, 'Also write the transferred files into OUTDIR/objects/<protocol>/ (as pcap-export-objects does); without it only the manifest is reported')
            [CompletionResult]::new('--no-html', '--no-html', [CompletionResultType]::ParameterName, 'Write only the JSON report')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Also print the JSON report on standard output (the console summary goes to standard error)')
            [CompletionResult]::new('--timings', '--timings', [CompletionResultType]::ParameterName, 'Print on standard error how long the pass and the writing of each file took')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Quiet: no console summary, no progress bar')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Disable name resolution (pcap-report never resolves names)')
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
