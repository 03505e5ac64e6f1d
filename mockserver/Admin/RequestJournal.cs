namespace EventsBindings.MockServer.Admin;

/// <summary>One request as the journal keeps it; credentials are redacted.</summary>
public sealed class JournalEntry
{
    /// <summary>Sequence number, from 1.</summary>
    public long Id { get; init; }

    /// <summary>When the request arrived (server time).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>HTTP method.</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>Path.</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>Query string, with a leading <c>?</c> when not empty.</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>Request headers; credentials are replaced by <c>***</c>.</summary>
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The API (contract name), when the path is under one's prefix.</summary>
    public string? Api { get; set; }

    /// <summary>The endpoint (contract name), when matched.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Response status (0 when the connection was aborted).</summary>
    public int Status { get; set; }

    /// <summary>Faults injected, if any.</summary>
    public string? Fault { get; set; }

    /// <summary>Query parameters the endpoint does not declare (accepted, not used).</summary>
    public List<string> UnknownParameters { get; set; } = new();

    /// <summary>Parameters given but unused because another one was given (<c>ignoredWhen</c>).</summary>
    public List<string> IgnoredParameters { get; set; } = new();

    /// <summary>Parameters given whose semantics the contract declares opaque: the mock did not execute them (it answered 501, or ignored them where the contract says <c>mock: ignore</c>).</summary>
    public List<string> NotExecutedParameters { get; set; } = new();

    /// <summary>Why the request was refused, when it was.</summary>
    public string? Error { get; set; }

    /// <summary>Time to answer, in milliseconds.</summary>
    public double DurationMs { get; set; }
}

/// <summary>A bounded, thread-safe request journal.</summary>
internal sealed class RequestJournal
{
    private readonly object _lock = new();
    private readonly LinkedList<JournalEntry> _entries = new();
    private readonly int _capacity;
    private long _next;

    public RequestJournal(int capacity) => _capacity = Math.Max(1, capacity);

    public long NextId() => Interlocked.Increment(ref _next);

    public void Add(JournalEntry entry)
    {
        lock (_lock)
        {
            _entries.AddLast(entry);
            while (_entries.Count > _capacity)
            {
                _entries.RemoveFirst();
            }
        }
    }

    public List<JournalEntry> Snapshot()
    {
        lock (_lock)
        {
            return _entries.ToList();
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
