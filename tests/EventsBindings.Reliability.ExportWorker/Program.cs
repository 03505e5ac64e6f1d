using System.Globalization;
using EventsBindings.Runtime;
using EventsBindings.Runtime.Export;
using EventsBindings.Clients;

// Usage: worker <api> <baseUrl> <out.ndjson> <checkpoint> <pageSize>
// The credential comes from EVENTS_CREDENTIAL (never on the command line, where `ps` shows it).
// Prints one line per page ("page <pages> <delivered>") and "done <delivered>" at the end; exits 0 when
// the source has no more events. A failed run (after the client's retries) is started again from the
// checkpoint, up to a bound; the process may be killed at any moment.
if (args.Length != 5)
{
    Console.Error.WriteLine($"usage: worker <{string.Join('|', EventsContracts.Exportable.Select(a => a.Name.ToLowerInvariant()))}> <baseUrl> <out.ndjson> <checkpoint> <pageSize>");
    return 2;
}

var api = EventsContracts.Find(args[0]);
if (api is null)
{
    Console.Error.WriteLine("unknown API " + args[0]);
    return 2;
}

var baseUrl = new Uri(args[1]);
var output = args[2];
var checkpointPath = args[3];
var pageSize = int.Parse(args[4], CultureInfo.InvariantCulture);
var secret = Environment.GetEnvironmentVariable("EVENTS_CREDENTIAL");
if (string.IsNullOrEmpty(secret))
{
    Console.Error.WriteLine("EVENTS_CREDENTIAL is not set.");
    return 2;
}

var credential = new EventsKeyCredential(secret);
var retry = new EventsRetryOptions { MaxRetries = 5, BaseDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500), MaxRetryAfter = TimeSpan.FromSeconds(5) };
var progress = new SyncProgress();
// As samples/EventsExport runs it: each event written exactly as the server sent it.
var exportOptions = new ExportOptions { Progress = progress, RawJson = true };
var store = new FileCheckpointStore(checkpointPath);

// Any contract of the registry (the generated EventsContracts): no query, so the contract's sync defaults decide
// how far back an export reaches (the mock's events span beyond some APIs' default windows, so a wrong default
// loses events here).
var export = api.CreateNdjsonExport(
    new EventsClientArguments(baseUrl, credential, Configure: o => { o.Retry = retry; o.AttemptTimeout = TimeSpan.FromSeconds(20); }),
    store,
    output,
    pageSize,
    exportOptions);
Func<CancellationToken, Task<ExportResult>> run = export.RunOnceAsync;

Console.Out.WriteLine("started");
Console.Out.Flush();
for (var attempt = 1; attempt <= 50; attempt++)
{
    try
    {
        var result = await run(CancellationToken.None);
        Console.Out.WriteLine(FormattableString.Invariant($"done {result.Delivered} {result.Duplicates} {(result.Recovered ? "recovered" : "clean")}"));
        Console.Out.Flush();
        return 0;
    }
    catch (EventsRequestException ex)
    {
        // Only the type and status: the message is the runtime's, and the test scans it for secrets anyway.
        Console.Out.WriteLine(FormattableString.Invariant($"error {ex.GetType().Name} {ex.Status} {ex.Message}"));
        Console.Out.Flush();
        await Task.Delay(100);
    }
}

return 1;

/// <summary>Writes a line per page, synchronously (IProgress implementations that post to a context would lag).</summary>
internal sealed class SyncProgress : IProgress<ExportProgress>
{
    public void Report(ExportProgress value)
    {
        Console.Out.WriteLine(FormattableString.Invariant($"page {value.Pages} {value.Delivered} {value.Duplicates} {value.Cursor.Position} {value.Cursor.Recent.Count} at {DateTimeOffset.UtcNow:HH:mm:ss.fff}"));
        Console.Out.Flush();
    }
}
