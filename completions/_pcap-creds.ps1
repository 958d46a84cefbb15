
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pcap-creds' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pcap-creds'
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
        'pcap-creds' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream')
            [CompletionResult]::new('--read-file', '--read-file', [CompletionResultType]::ParameterName, 'Read packets from INFILE (pcap, pcapng, gzip''d; "-" for stdin). Repeatable; glob patterns are expanded; inputs are read as one stream')
            [CompletionResult]::new('-z', '-z', [CompletionResultType]::ParameterName, 'credentials[,ANYTHING]: print tshark''s credentials table instead of the credential list (tshark ignores the argument too)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Credential list format: tsv, csv or json (columns below)')
            [CompletionResult]::new('--hashcat', '--hashcat', [CompletionResultType]::ParameterName, 'Also write each hash line to DIR/MODE.txt, one file per hashcat mode (DIR is created; files in it are replaced; nothing is written elsewhere)')
            [CompletionResult]::new('--form-user-fields', '--form-user-fields', [CompletionResultType]::ParameterName, 'Comma-separated words: an HTTP form field whose lower-cased name contains one holds a username [default: user,login,email,uname,usr,account]')
            [CompletionResult]::new('--form-password-fields', '--form-password-fields', [CompletionResultType]::ParameterName, 'Comma-separated words: an HTTP form field whose lower-cased name contains one holds a password [default: password,passwd,pass,pwd,secret]')
            [CompletionResult]::new('-N', '-N ', [CompletionResultType]::ParameterName, 'Name resolution flags (accepted; addresses print as with -n)')
            [CompletionResult]::new('--threads', '--threads', [CompletionResultType]::ParameterName, 'Dissecting threads, the frames split between them by conversation (default: one per core, at most 4); the output is the same with any N')
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
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every attempt, not only the first of each (protocol, username, domain, secret)')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Mask secrets in the list (hash files written with --hashcat are not masked)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Quiet: no progress bar')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Disable name resolution (pcap-creds never resolves names)')
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
