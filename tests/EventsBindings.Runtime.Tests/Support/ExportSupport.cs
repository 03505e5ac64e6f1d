using EventsBindings.Runtime.Infrastructure;
using EventsBindings.Runtime.Json;
using System.Globalization;
using EventsBindings.Runtime.Export;

namespace EventsBindings.Runtime.Tests.Support;

/// <summary>Thrown by the crash-injecting wrappers: stands for the process dying at that point.</summary>
public sealed class SimulatedCrash : Exception
{
    public SimulatedCrash(string where)
        : base("Simulated crash " + where)
    {
    }
}

/// <summary>An events source in memory: ascending by id (id cursor) or by (at, id) (time cursor, "after" exclusive).</summary>
public sealed class FakeEventsApi
{
    private readonly List<Item> _items = new();

    public int Requests { get; private set; }

    public void Add(IEnumerable<Item> items)
    {
        lock (_items)
        {
            _items.AddRange(items);
        }
    }

    public Task<IReadOnlyList<Item>> ByIdAsync(long? start, int size, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_items)
        {
            Requests++;
            return Task.FromResult<IReadOnlyList<Item>>(_items.OrderBy(i => i.Id).Where(i => start is null || i.Id >= start).Take(size).ToList());
        }
    }

    public Task<IReadOnlyList<Item>> ByTimeAsync(long? after, long offset, int size, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        lock (_items)
        {
            Requests++;
            return Task.FromResult<IReadOnlyList<Item>>(_items.OrderBy(i => i.At).ThenBy(i => i.Id).Where(i => after is null || i.At > after).Skip((int)offset).Take(size).ToList());
        }
    }

    public ISyncSource<Item> IdCursor(int pageSize) => SyncSources.IdCursor<Item>(ByIdAsync, static i => i.Id, pageSize);

    public ISyncSource<Item> TimeCursor(int pageSize, TimeSpan overlap) =>
        SyncSources.TimeCursor<Item>(ByTimeAsync, static i => i.At, static i => i.Id.ToString(CultureInfo.InvariantCulture), overlap, pageSize);
}

/// <summary>A checkpoint store that "crashes" on its n-th save, before writing.</summary>
public sealed class CrashingStore(ICheckpointStore inner, int crashOnSave) : ICheckpointStore
{
    private int _saves;

    public Task<string?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

    public Task SaveAsync(string checkpoint, CancellationToken cancellationToken)
    {
        if (++_saves == crashOnSave)
        {
            throw new SimulatedCrash($"before checkpoint save #{_saves}");
        }

        return inner.SaveAsync(checkpoint, cancellationToken);
    }
}

/// <summary>A sink that "crashes" during its n-th page: after writing some of the items and half of the next line.</summary>
public sealed class CrashingSink(NdjsonFileSink<Item> inner, int crashOnPage, int itemsBeforeCrash) : IEventSink<Item>
{
    private int _pages;

    public async Task WriteAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        if (++_pages != crashOnPage)
        {
            await inner.WriteAsync(items, cancellationToken);
            return;
        }

        var written = items.Take(itemsBeforeCrash).ToList();
        if (written.Count > 0)
        {
            await inner.WriteAsync(written, cancellationToken);
        }

        if (itemsBeforeCrash < items.Count)
        {
            // Half a line: the write of the next item was cut off.
            await File.AppendAllTextAsync(inner.Path, "{\"id\":" + items[itemsBeforeCrash].Id + ",\"at\":", cancellationToken);
        }

        throw new SimulatedCrash($"during delivery of page {_pages}");
    }

    public Task<IReadOnlyCollection<string>> GetDeliveredIdsAsync(IReadOnlyCollection<string> candidateIds, Func<Item, string> idOf, CancellationToken cancellationToken) =>
        inner.GetDeliveredIdsAsync(candidateIds, idOf, cancellationToken);
}

/// <summary>A sink that keeps the very lists it is handed, then passes them on.</summary>
public sealed class RecordingSink(IEventSink<Item> inner) : IEventSink<Item>
{
    public List<IReadOnlyList<Item>> Pages { get; } = new();

    public Task WriteAsync(IReadOnlyList<Item> items, CancellationToken cancellationToken)
    {
        Pages.Add(items);
        return inner.WriteAsync(items, cancellationToken);
    }

    public Task<IReadOnlyCollection<string>> GetDeliveredIdsAsync(IReadOnlyCollection<string> candidateIds, Func<Item, string> idOf, CancellationToken cancellationToken) =>
        inner.GetDeliveredIdsAsync(candidateIds, idOf, cancellationToken);
}

/// <summary>A temporary directory removed at the end of a test.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "eb-runtime-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class HttpSources
{
    /// <summary>An id cursor over the pipeline: <c>GET /items?start=…</c>, the loopback server's handler pages.</summary>
    public static ISyncSource<Item> IdCursor(EventsPipeline pipeline, int pageSize) => SyncSources.IdCursor<Item>(
        (cursor, size, ct) =>
        {
            var r = TestApi.Get();
            if (cursor is { } s)
            {
                r.AddQuery("start", s.ToString(CultureInfo.InvariantCulture));
            }

            return pipeline.GetItemsAsync(ct, r);
        },
        static i => i.Id,
        pageSize);

    /// <summary>The <c>start</c> query parameter of a request (1 when absent).</summary>
    public static long Start(Microsoft.AspNetCore.Http.HttpContext c) =>
        long.Parse(c.Request.Query["start"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
}

public static class Ndjson
{
    public static NdjsonFileSink<Item> Sink(string path) => new(path, Item.Write, Item.Read);

    /// <summary>The ids of the file's lines, each line parsed (so a broken line fails the test; drift, kept as sent, does not).</summary>
    public static List<long> Ids(string path)
    {
        if (!File.Exists(path))
        {
            return new List<long>();
        }

        return File.ReadAllLines(path).Select(line =>
        {
            using var scope = JsonReadScope.Begin(JsonStrictness.Tolerant);
            var reader = new System.Text.Json.Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(line));
            reader.Read();
            return Item.Read(ref reader).Id;
        }).ToList();
    }
}
