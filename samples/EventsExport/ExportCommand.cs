using System.Globalization;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Runtime.Paging;

namespace EventsExport;

/// <summary>Exit codes of the export.</summary>
public static class ExitCodes
{
    /// <summary>The export finished (or was stopped by the user in follow mode).</summary>
    public const int Ok = 0;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The credential was refused (401) or may not read events (403).</summary>
    public const int Credential = 3;

    /// <summary>The server could not be reached, or did not answer in time.</summary>
    public const int Unreachable = 4;

    /// <summary>The server failed or throttled the export beyond the retries.</summary>
    public const int ServerFailed = 5;

    /// <summary>The server answered something that does not match the contract (a body, or paging that ignores the cursor).</summary>
    public const int BadResponse = 6;

    /// <summary>The checkpoint or output file cannot be used.</summary>
    public const int LocalFiles = 7;

    /// <summary>The base URL has no such API (404).</summary>
    public const int WrongEndpoint = 8;

    /// <summary>Cancelled (Ctrl+C) during a one-shot export.</summary>
    public const int Cancelled = 130;
}

/// <summary>The command: parse options, build the generated client, run the checkpointed export.</summary>
public static class ExportCommand
{
    private static readonly string Usage = $"""
        Exports events to NDJSON (one event per line, as the API sent it), resuming from a checkpoint.

        Usage:
          EventsExport --api {Apis.Choices("|")} --base-url <url> --credential <key or token>
                       --out <file.ndjson> --checkpoint <file> [options]

        Options:
          --api <name>           {Apis.Choices(" or ")} (the contracts' names)
          --base-url <url>       the API's base URL (e.g. http://127.0.0.1:5080/adminbyrequest)
          --credential <secret>  API key or token; when omitted, read from EVENTS_CREDENTIAL
          --refresh-token        the credential is a refresh token to exchange ({string.Join(", ", Apis.All.Where(a => a.HasRefreshToken).Select(a => a.Key))})
          --auth-scheme <name>   an auth scheme of the contract (default: the first that fits)
          --out <file>           NDJSON file to append to
          --checkpoint <file>    checkpoint file (created on the first run)
          --page-size <n>        events per request, within the contract's bounds
                         (default: the contract's sync page size)
          --follow               keep polling for new events until Ctrl+C
          --quiet                no progress display

        Exit codes: 0 done, 2 usage, 3 credential refused, 4 server unreachable or timed out,
                    5 server failed or throttled, 6 response does not match the contract,
                    7 checkpoint/output file unusable, 8 no such API at the base URL (404),
                    130 cancelled.
        """;

    /// <summary>Runs the command.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where progress and errors go.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        Options options;
        ProgressDisplay progress;
        Func<CancellationToken, Task<ExportResult>> runOnce;
        Func<CancellationToken, Task> follow;
        try
        {
            options = Options.Parse(args);
            progress = new ProgressDisplay(stderr, options.Quiet);

            // The sink is handed each event's original JSON and writes it as it came (RawJson).
            var exportOptions = new ExportOptions { Progress = progress, FollowMinDelay = TimeSpan.FromSeconds(5), FollowMaxDelay = TimeSpan.FromMinutes(2), RawJson = true };
            var store = new FileCheckpointStore(options.Checkpoint);
            var api = Apis.Find(options.Api) ?? throw new ArgumentException($"--api must be {Apis.Choices(" or ")}, not '{options.Api}'.");
            options.CheckAgainst(api.Descriptor, api.CheckPageSize);
            var export = api.Create(options, store, exportOptions);
            (runOnce, follow) = (export.RunOnceAsync, export.FollowAsync);
        }
        catch (ArgumentException ex)
        {
            // Wrong options, and what the client's constructor refuses (an auth scheme that does not fit).
            await stderr.WriteLineAsync("error: " + Options.FirstLine(ex)).ConfigureAwait(false);
            await stderr.WriteLineAsync("Run with --help for the usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {

            if (options.Follow)
            {
                await stderr.WriteLineAsync($"Following {options.Api} at {options.BaseUrl}; Ctrl+C stops.").ConfigureAwait(false);
                try
                {
                    await follow(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    progress.Finish();
                    await stdout.WriteLineAsync($"Stopped. {progress.Delivered} new events written to {options.Out}.").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }

                return ExitCodes.Ok;
            }

            var result = await runOnce(cancellationToken).ConfigureAwait(false);
            progress.Finish();
            await stdout.WriteLineAsync(result.Delivered == 0
                ? $"Nothing new: {options.Out} is up to date (checkpoint {result.Checkpoint.Cursor})."
                : $"{result.Delivered} new events written to {options.Out} in {result.Pages} pages (checkpoint {result.Checkpoint.Cursor}).").ConfigureAwait(false);
            await DriftReport.WriteAsync(result, options.Out, stdout).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Finish();
            await stderr.WriteLineAsync("Cancelled. The checkpoint is consistent; run again to continue.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception ex) when (ex is EventsAuthenticationException or EventsAuthorizationException)
        {
            progress.Finish();
            var what = ex is EventsAuthenticationException
                ? "The server refused the credential (401)"
                : "The credential may not read events (403)";
            await stderr.WriteLineAsync($"error: {what}. Check --credential{(Apis.Find(options.Api)?.HasRefreshToken == true ? " (and --refresh-token for a refresh token)" : string.Empty)} and --base-url.").ConfigureAwait(false);
            await stderr.WriteLineAsync("  " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Credential;
        }
        catch (Exception ex) when (ex is EventsConnectionException or EventsTimeoutException)
        {
            progress.Finish();
            await stderr.WriteLineAsync($"error: The server at {options.BaseUrl} could not be reached or did not answer in time. Check --base-url and the network.").ConfigureAwait(false);
            await stderr.WriteLineAsync("  " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (EventsNotFoundException ex)
        {
            progress.Finish();
            await stderr.WriteLineAsync($"error: The server has no events endpoint under {options.BaseUrl} (404). Check --base-url and --api.").ConfigureAwait(false);
            await stderr.WriteLineAsync("  " + ex.Message).ConfigureAwait(false);
            return ExitCodes.WrongEndpoint;
        }
        catch (EventsPagingException ex)
        {
            progress.Finish();
            await stderr.WriteLineAsync($"error: The server ignores the paging cursor (a later page brought the same events again), so it does not page as the {options.Api} contract says. Is --base-url the {options.Api} API? The checkpoint keeps what was written.").ConfigureAwait(false);
            await stderr.WriteLineAsync("  " + ex.Message).ConfigureAwait(false);
            return ExitCodes.BadResponse;
        }
        catch (EventsResponseFormatException ex)
        {
            progress.Finish();
            await stderr.WriteLineAsync($"error: The server's answer does not match the {options.Api} contract. Is --api right for this server?").ConfigureAwait(false);
            await stderr.WriteLineAsync("  " + ex.Message).ConfigureAwait(false);
            return ExitCodes.BadResponse;
        }
        catch (EventsRequestException ex)
        {
            progress.Finish();
            await stderr.WriteLineAsync(ex is EventsThrottledException
                ? "error: The server throttles the export; wait and run again (the checkpoint keeps the progress)."
                : "error: The server failed; run again later (the checkpoint keeps the progress).").ConfigureAwait(false);
            await stderr.WriteLineAsync("  " + ex.Message).ConfigureAwait(false);
            return ExitCodes.ServerFailed;
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            progress.Finish();
            await stderr.WriteLineAsync($"error: The checkpoint ({options.Checkpoint}) or the output ({options.Out}) cannot be used: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.LocalFiles;
        }
    }
}
