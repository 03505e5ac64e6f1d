using System.Diagnostics;
using EventsBindings.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventsBindings.Runtime.Export;

/// <summary>Options of a <see cref="CheckpointedExport{T}"/>.</summary>
public sealed class ExportOptions
{
    /// <summary>Where logs go; null for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock of follow mode's waits.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Follow mode: the wait after a poll that found new events. Default 5 seconds.</summary>
    public TimeSpan FollowMinDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Follow mode: the longest wait; each poll that finds nothing doubles the wait up to this. Default 5 minutes.</summary>
    public TimeSpan FollowMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Stops a run after this many pages (the next run continues); null for no limit.</summary>
    public int? MaxPagesPerRun { get; set; }

    /// <summary>Told after every page.</summary>
    public IProgress<ExportProgress>? Progress { get; set; }

    /// <summary>
    /// Hands the sink each item's original JSON, byte for byte as the server sent it: the pages are read inside
    /// a <see cref="Json.RawJsonCapture"/> scope and the items given to <see cref="IEventSink{T}.WriteAsync"/>
    /// implement <see cref="Json.IRawJsonItems"/> (<see cref="NdjsonFileSink{T}"/> then writes those bytes
    /// instead of re-serializing the model). Costs one copy of the bytes each page's items span; a page from
    /// which nothing was dropped as a duplicate is handed over as it was read. Default false.
    /// </summary>
    public bool RawJson { get; set; }

    /// <summary>
    /// Where items that could not be read at all go (a page's rejected items are stored before its checkpoint
    /// is committed, so a crash may store them twice but never loses them). Null: the sink, when it is an
    /// <see cref="IRejectedItemSink"/> (<see cref="NdjsonFileSink{T}"/> writes <c>*.rejected.ndjson</c> beside
    /// its file); otherwise they are only logged and counted.
    /// </summary>
    public IRejectedItemSink? RejectedItems { get; set; }
}

/// <summary>Progress of a run, reported after every page.</summary>
/// <param name="Pages">Pages fetched in this run.</param>
/// <param name="Delivered">Items delivered to the sink in this run.</param>
/// <param name="Duplicates">Items dropped as delivered already.</param>
/// <param name="Cursor">The committed cursor.</param>
public sealed record ExportProgress(int Pages, long Delivered, long Duplicates, SyncCursor Cursor);

/// <summary>The outcome of one run.</summary>
/// <param name="Pages">Pages fetched.</param>
/// <param name="Fetched">Items fetched.</param>
/// <param name="Delivered">Items delivered to the sink.</param>
/// <param name="Duplicates">Items dropped as delivered already (re-read overlap, or a recovered page).</param>
/// <param name="Recovered">Whether the run started by recovering an interrupted delivery.</param>
/// <param name="Checkpoint">The checkpoint at the end of the run.</param>
public sealed record ExportResult(int Pages, long Fetched, long Delivered, long Duplicates, bool Recovered, ExportCheckpoint Checkpoint)
{
    /// <summary>What departed from the contract in this run's pages, one row per path, kind and shape; empty when nothing did.</summary>
    public IReadOnlyList<Json.JsonDriftSummary> Drift { get; init; } = Array.Empty<Json.JsonDriftSummary>();

    /// <summary>Items that could not be read at all, handed to the dead-letter destination (<see cref="ExportOptions.RejectedItems"/>).</summary>
    public long Rejected { get; init; }
}

/// <summary>
/// Pulls everything new since a checkpoint, hands each page to a sink and persists the new checkpoint only
/// after the sink acknowledged the page. Nothing is lost and nothing is delivered twice, whatever the moment
/// of a crash.
/// </summary>
/// <remarks>
/// <para>Protocol, per page (see <c>runtime/README.md</c>):</para>
/// <list type="number">
/// <item>Fetch the page after the committed cursor; drop items whose id is known delivered (the time
/// cursor's overlap window, or the ids a sink reported after an interrupted delivery).</item>
/// <item>Save the checkpoint with the committed cursor and <see cref="ExportCheckpoint.Pending"/> = the ids
/// about to be delivered.</item>
/// <item>Call <see cref="IEventSink{T}.WriteAsync"/>; its completion is the acknowledgement.</item>
/// <item>Save the checkpoint with the advanced cursor and no pending ids.</item>
/// </list>
/// <para>A crash before step 2 leaves the old checkpoint: the page is fetched again. A crash after step 2
/// (during delivery, or after the acknowledgement but before step 4) leaves pending ids: the next run asks
/// the sink which of them it holds (<see cref="IEventSink{T}.GetDeliveredIdsAsync"/>) and drops those from
/// the page it fetches again. Re-delivery is thus bounded to one page and removed by id. Checkpoints are
/// replaced atomically by the <see cref="ICheckpointStore"/>.</para>
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
public sealed class CheckpointedExport<T>
{
    private readonly ISyncSource<T> _source;
    private readonly ICheckpointStore _store;
    private readonly IEventSink<T> _sink;
    private readonly ExportOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Creates an export.</summary>
    /// <param name="source">Where items come from (from <see cref="SyncSources"/>).</param>
    /// <param name="store">Where the checkpoint is kept.</param>
    /// <param name="sink">Where items go.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    public CheckpointedExport(ISyncSource<T> source, ICheckpointStore store, IEventSink<T> sink, ExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sink);
        _source = source;
        _store = store;
        _sink = sink;
        _options = options ?? new ExportOptions();
        _logger = _options.LoggerFactory?.CreateLogger("EventsBindings.Runtime.Export") ?? NullLogger.Instance;
    }

    /// <summary>Reads the stored checkpoint (null when none).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint.</returns>
    public async Task<ExportCheckpoint?> GetCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var text = await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        var checkpoint = ExportCheckpoint.Parse(text);
        if (checkpoint.Strategy != _source.Strategy)
        {
            throw new InvalidOperationException($"The checkpoint was written by a {checkpoint.Strategy} export; this export syncs by {_source.Strategy}. Use another checkpoint.");
        }

        return checkpoint;
    }

    /// <summary>Exports everything new since the checkpoint, page by page, and returns once the source has no more.</summary>
    /// <param name="cancellationToken">Cancels the run; the checkpoint stays consistent.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="EventsRequestException">Fetching failed (after the pipeline's retries).</exception>
    /// <exception cref="InvalidOperationException">The stored checkpoint belongs to another strategy, or a run is already in progress.</exception>
    /// <exception cref="Paging.EventsPagingException">The server's pages do not advance the cursor (it ignores the cursor parameter).</exception>
    public async Task<ExportResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!await _running.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("This export is already running.");
        }

        try
        {
            return await RunCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Keeps exporting until cancelled: runs, then waits (<see cref="ExportOptions.FollowMinDelay"/> after a run
    /// that found events, doubling up to <see cref="ExportOptions.FollowMaxDelay"/> while runs find nothing).
    /// Transient failures (throttling, 5xx, timeouts, connection failures) are logged and waited out, honouring
    /// Retry-After; other failures end the follow.
    /// </summary>
    /// <param name="cancellationToken">Stops following (an <see cref="OperationCanceledException"/> is thrown).</param>
    /// <returns>A task that ends when cancelled or on a non-transient failure.</returns>
    public async Task FollowAsync(CancellationToken cancellationToken = default)
    {
        var min = _options.FollowMinDelay <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : _options.FollowMinDelay;
        var max = _options.FollowMaxDelay < min ? min : _options.FollowMaxDelay;
        var delay = min;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var result = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                delay = result.Delivered > 0 ? min : Next(delay, max);
                Log.FollowWait(_logger, delay.TotalMilliseconds);
            }
            catch (EventsRequestException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                delay = Next(delay, max);
                if (ex is EventsThrottledException { RetryAfter: { } retryAfter } && retryAfter > delay)
                {
                    delay = retryAfter;
                }

                Log.FollowError(_logger, ex.GetType().Name + (ex.Status > 0 ? " " + ex.Status : string.Empty), delay.TotalMilliseconds);
            }

            await Task.Delay(delay, _options.TimeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        static TimeSpan Next(TimeSpan current, TimeSpan max) => current * 2 > max ? max : current * 2;
    }

    private async Task<ExportResult> RunCoreAsync(CancellationToken ct)
    {
        var checkpoint = await GetCheckpointAsync(ct).ConfigureAwait(false)
            ?? new ExportCheckpoint(_source.Strategy, SyncCursor.Start, null);
        var cursor = checkpoint.Cursor;

        // Ids the sink holds beyond the committed cursor (a recovered delivery, this run's or an earlier
        // one's). They go into every checkpoint until a committed page covers them: a run that is itself
        // interrupted before its walk re-reads them must not leave the next run to deliver them again.
        var carried = new HashSet<string>(checkpoint.Delivered, StringComparer.Ordinal);
        var recovered = false;
        var dirty = false;
        if (checkpoint.Pending is { Count: > 0 } pending)
        {
            // A delivery was interrupted: the sink says which of its ids it holds; those are dropped below.
            var held = await _sink.GetDeliveredIdsAsync(pending, _source.IdOf, ct).ConfigureAwait(false);
            var pendingSet = new HashSet<string>(pending, StringComparer.Ordinal);
            var found = 0;
            foreach (var id in held)
            {
                if (pendingSet.Contains(id) && carried.Add(id))
                {
                    found++;
                }
            }

            recovered = true;
            dirty = true;
            Log.ExportRecovery(_logger, pending.Count, found);
        }

        using var capture = _options.RawJson ? Json.RawJsonCapture.Begin() : null;
        var skip = Known(carried, cursor, null);
        var walkedToTheEnd = true;
        int pages = 0;
        long fetched = 0, delivered = 0, duplicates = 0, rejected = 0;
        var drift = new Json.JsonDriftTally();
        var deadLetters = _options.RejectedItems ?? _sink as IRejectedItemSink;
        await foreach (var page in _source.ReadPagesAsync(cursor, ct).ConfigureAwait(false))
        {
            pages++;
            fetched += page.Count;
            var freshIds = new List<string>(page.Count);
            var pageIds = new HashSet<string>(StringComparer.Ordinal);
            List<int>? kept = null; // the indices delivered, recorded from the first dropped item on
            for (var i = 0; i < page.Count; i++)
            {
                var id = _source.IdOf(page[i]);
                if (skip.Contains(id) || !pageIds.Add(id))
                {
                    duplicates++;
                    kept ??= Enumerable.Range(0, i).ToList();
                    continue;
                }

                kept?.Add(i);
                freshIds.Add(id);
            }

            // Nothing dropped: the page goes to the sink as it came (with its raw JSON, if captured).
            var fresh = kept is null ? page : KeptItems.Of(page, kept);
            var next = _source.Advance(cursor, page);
            if (fresh.Count > 0)
            {
                await SaveAsync(new ExportCheckpoint(_source.Strategy, cursor, freshIds, carried), ct).ConfigureAwait(false);
                await _sink.WriteAsync(fresh, ct).ConfigureAwait(false);
                delivered += fresh.Count;
                EventsTelemetry.Exported.Add(fresh.Count, new TagList { { "strategy", _source.Strategy } });
            }

            if (page is Json.IJsonReadReport report)
            {
                drift.Add(report.Drift);
                if (report.Rejected.Count > 0)
                {
                    rejected += report.Rejected.Count;
                    if (deadLetters is not null)
                    {
                        await deadLetters.WriteRejectedAsync(report.Rejected, ct).ConfigureAwait(false);
                    }
                }
            }

            // The acknowledged page is committed with the advanced cursor; nothing is pending any more.
            // (Not cancellable: the sink has the page, so the cursor must follow it.)
            // Carried ids this page held are covered by the advanced cursor from now on.
            cursor = next;
            carried.ExceptWith(pageIds);
            await SaveAsync(new ExportCheckpoint(_source.Strategy, cursor, null, carried), CancellationToken.None).ConfigureAwait(false);
            dirty = false;
            skip = Known(carried, cursor, pageIds);
            Log.ExportPage(_logger, fresh.Count, page.Count - fresh.Count, cursor.ToString());
            _options.Progress?.Report(new ExportProgress(pages, delivered, duplicates, cursor));
            if (_options.MaxPagesPerRun is { } limit && pages >= limit)
            {
                walkedToTheEnd = false;
                break;
            }
        }

        // A walk to the end met every item the cursor leads to: carried ids it did not meet are no longer listed.
        if (walkedToTheEnd && carried.Count > 0)
        {
            carried.Clear();
            dirty = true;
        }

        var final = new ExportCheckpoint(_source.Strategy, cursor, null, carried);
        if (dirty)
        {
            await SaveAsync(final, ct).ConfigureAwait(false);
        }

        Log.ExportRun(_logger, pages, delivered, duplicates);
        return new ExportResult(pages, fetched, delivered, duplicates, recovered, final) { Drift = drift.ToList(), Rejected = rejected };
    }

    private static HashSet<string> Known(HashSet<string> carried, SyncCursor cursor, HashSet<string>? lastPage)
    {
        var known = new HashSet<string>(carried, StringComparer.Ordinal);
        foreach (var mark in cursor.Recent)
        {
            known.Add(mark.Id);
        }

        if (lastPage is not null)
        {
            known.UnionWith(lastPage);
        }

        return known;
    }

    private Task SaveAsync(ExportCheckpoint checkpoint, CancellationToken ct) => _store.SaveAsync(checkpoint.ToJson(), ct);
}

/// <summary>The items of a page that survived de-duplication, in page order.</summary>
internal static class KeptItems
{
    /// <summary>
    /// The items of <paramref name="page"/> at <paramref name="indices"/>: a view that keeps each item's raw JSON
    /// when the page carries it (<see cref="Json.IRawJsonItems"/>), a plain array otherwise.
    /// </summary>
    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> page, List<int> indices)
    {
        if (page is Json.IRawJsonItems raw)
        {
            return new RawView<T>(page, raw, indices.ToArray());
        }

        var items = new T[indices.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = page[indices[i]];
        }

        return items;
    }

    /// <summary>A read-only selection of a raw page: item <c>i</c> and its JSON are both the page's <c>indices[i]</c>.</summary>
    private sealed class RawView<T>(IReadOnlyList<T> page, Json.IRawJsonItems raw, int[] indices) : IReadOnlyList<T>, Json.IRawJsonItems
    {
        public int Count => indices.Length;

        public T this[int index] => page[indices[index]];

        public ReadOnlyMemory<byte> GetRawJson(int index) => raw.GetRawJson(indices[index]);

        public IEnumerator<T> GetEnumerator()
        {
            foreach (var i in indices)
            {
                yield return page[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
