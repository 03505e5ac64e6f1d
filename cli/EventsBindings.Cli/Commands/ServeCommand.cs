using System.CommandLine;
using System.Globalization;
using System.Net;
using EventsBindings.MockServer.Hosting;

namespace EventsBindings.Cli.Commands;

/// <summary><c>serve</c>: serves the contracts' APIs (the mock server) until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static void Configure(RootCommand root)
    {
        var command = new Command("serve", "Serve every contract's API (the mock server) with real filters, paging, auth, errors and faults, until Ctrl+C.");
        root.Subcommands.Add(command);
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on (0: any free port).", DefaultValueFactory = _ => 5080 };
        var host = new Option<string>("--host") { Description = "Address to bind (127.0.0.1 by default; 0.0.0.0 exposes the server to the network).", DefaultValueFactory = _ => "127.0.0.1" };
        var contracts = new Option<DirectoryInfo?>("--contracts") { Description = "Directory of contract files to serve instead of the embedded ones; watched and hot-reloaded." };
        var events = new Option<int>("--events") { Description = "Synthetic items generated per API.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data (same seed, same data).", DefaultValueFactory = _ => 1 };
        var data = new Option<FileInfo[]>("--data") { Description = "JSON file of extra items: {\"<ApiName>\": [items...]}. Repeatable.", AllowMultipleArgumentsPerToken = false };
        var credential = new Option<string[]>("--credential") { Description = "Replace a demo credential: [Api:]scheme=value (scheme as named in the contract). Repeatable." };
        var rateLimit = new Option<double?>("--rate-limit") { Description = "Requests per second per credential before 429 with Retry-After." };
        var noReload = new Option<bool>("--no-reload") { Description = "Do not watch --contracts for changes." };
        port.Validators.Add(r =>
        {
            if (IntToken(r) is < 0 or > 65535)
            {
                r.AddError("--port must be between 0 and 65535.");
            }
        });
        host.Validators.Add(r =>
        {
            var value = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "127.0.0.1";
            if (!string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(value, out _))
            {
                r.AddError("--host must be an IP address or localhost.");
            }
        });
        events.Validators.Add(r =>
        {
            if (IntToken(r) is < 0 or > 10_000_000)
            {
                r.AddError("--events must be between 0 and 10000000.");
            }
        });

        foreach (var option in new Option[] { port, host, contracts, events, seed, data, credential, rateLimit, noReload })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new MockServerOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                ContractsDirectory = parse.GetValue(contracts)?.FullName,
                Events = parse.GetValue(events),
                Seed = parse.GetValue(seed),
                RateLimitPerSecond = parse.GetValue(rateLimit),
                HotReload = !parse.GetValue(noReload),
            };
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            options.Log = message => error.WriteLine(message);
            foreach (var file in parse.GetValue(data) ?? Array.Empty<FileInfo>())
            {
                options.DataFiles.Add(file.FullName);
            }

            foreach (var c in parse.GetValue(credential) ?? Array.Empty<string>())
            {
                options.Credentials.Add(c);
            }

            return await RunAsync(options, output, error, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>The option's integer token, or null when absent or not an integer (the parser reports that itself).</summary>
    private static int? IntToken(System.CommandLine.Parsing.OptionResult result) =>
        result.Tokens.Count > 0 && int.TryParse(result.Tokens[^1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Starts the server and serves until stopped; 1 (after a one-line message, no stack trace) when it cannot start.</summary>
    private static async Task<int> RunAsync(MockServerOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var server = new MockServerHost(options);
        Uri address;
        try
        {
            address = await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // A port in use, an unreadable --data file or --contracts directory (or a directory given
            // as a file), no usable contract: say so in one line.
            error.WriteLine("The mock server could not start: " + ex.Message);
            return 1;
        }

        output.WriteLine(Banner(server, address));

        // SIGTERM (service managers, `kill`) and SIGINT (Ctrl+C; also for background jobs, which
        // inherit an ignored SIGINT from non-interactive shells) stop the server cleanly.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(System.Runtime.InteropServices.PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
        using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("Stopping.");
        }

        return 0;
    }

    /// <summary>What the server prints at start: base URLs, demo credentials and a curl line per API.</summary>
    internal static string Banner(MockServerHost server, Uri address)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"EventsBindings mock server listening on {address}");
        foreach (var api in server.Apis)
        {
            w.WriteLine();
            w.WriteLine($"  {api.Title} ({api.Name}): {api.BaseAddress}  [{api.Items} items]");
            foreach (var c in api.Credentials)
            {
                w.WriteLine($"    {c.Scheme,-10} {c.Value,-24} {(c.CanRead ? "reads" : "valid, may not read (403)")}{(c.Description is null ? string.Empty : "  " + c.Description)}");
            }

            if (api.Credentials.FirstOrDefault(c => c.CanRead && c.Kind != "RefreshToken") is { } readable && CurlLine.For(api, readable) is { } curl)
            {
                w.WriteLine("    try: " + curl);
            }
        }

        w.WriteLine();
        w.WriteLine($"  Admin: {address}__admin/health   (journal: {address}__admin/requests)");
        w.WriteLine("  Press Ctrl+C to stop.");
        return w.ToString();
    }
}
