using System.Globalization;
using System.Text.Json;

namespace EventsBindings.Runtime.Json;

/// <summary>
/// A reading session on the current thread: how strictly generated readers read, and the drift they found.
/// <see cref="JsonPayload"/> opens one per body when none is open (tolerant); generated clients open one per
/// response with <see cref="EventsClientOptions.Strictness"/>. A generated model's <c>ReadJson</c> called with
/// no scope open (for example through System.Text.Json's converter) reads strictly: tolerance needs a place
/// to report to. Open a scope around such calls to read tolerantly and collect the drift.
/// </summary>
/// <remarks>
/// Readers are synchronous, so the scope is thread-local: it costs nothing on input that fits the contract
/// (it is consulted only when a value does not fit, and once per object).
/// </remarks>
/// <example>
/// <code>
/// using var scope = JsonReadScope.Begin(JsonStrictness.Tolerant);
/// var e = JsonSerializer.Deserialize&lt;Event&gt;(json)!;
/// foreach (var drift in scope.Drift) Console.WriteLine(drift);
/// </code>
/// </example>
public sealed class JsonReadScope : IDisposable
{
    private const int SampleLength = 64;

    [ThreadStatic]
    private static JsonReadScope? t_current;

    private readonly JsonReadScope? _previous;
    private readonly List<Pending> _pending = new();
    private readonly List<JsonDrift> _drift = new();
    private bool _disposed;

    private JsonReadScope(JsonStrictness strictness, string? endpoint)
    {
        Strictness = strictness;
        Endpoint = endpoint;
        _previous = t_current;
        t_current = this;
    }

    /// <summary>The strictness of this scope.</summary>
    public JsonStrictness Strictness { get; }

    /// <summary>The drift found so far, in reading order.</summary>
    public IReadOnlyList<JsonDrift> Drift
    {
        get
        {
            FlushUnlocated();
            return _drift;
        }
    }

    /// <summary>The request the body answered (<c>GET /events</c>), stamped on drift records; null outside clients.</summary>
    internal string? Endpoint { get; }

    /// <summary>The scope open on this thread, if any.</summary>
    internal static JsonReadScope? Current => t_current;

    /// <summary>
    /// Changes whenever a drift is recorded on this thread: generated readers compare it before and after an
    /// object to know whether to keep the object's JSON.
    /// </summary>
    internal static int Mark => t_current is { } s ? s._pending.Count + s._drift.Count : 0;

    /// <summary>The number of finished drift records (<see cref="JsonPayload"/> takes a list's share from here).</summary>
    internal int DriftCount => _drift.Count;

    /// <summary>The number of drift records not yet located (those of the item being read).</summary>
    internal int PendingCount => _pending.Count;

    /// <summary>Opens a scope on this thread; disposing it restores the previous one.</summary>
    /// <param name="strictness">How values that do not fit are treated.</param>
    /// <returns>The scope.</returns>
    public static JsonReadScope Begin(JsonStrictness strictness) => new(strictness, null);

    internal static JsonReadScope Begin(JsonStrictness strictness, string? endpoint) => new(strictness, endpoint);

    /// <summary>Closes the scope.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            t_current = _previous;
        }
    }

    /// <summary>
    /// A value that does not fit: in a tolerant scope records it, moves the reader to the value's last token
    /// and returns true (the caller then uses its default); otherwise returns false, the reader untouched,
    /// and the caller throws.
    /// </summary>
    internal static bool TryTolerate(ref Utf8JsonReader r, string expected, string field, JsonDriftKind kind = JsonDriftKind.Defaulted)
    {
        if (t_current is not { Strictness: JsonStrictness.Tolerant } scope)
        {
            return false;
        }

        var offset = r.TokenStartIndex;
        var got = JsonRead.Describe(r.TokenType);
        scope._pending.Add(new Pending(offset, null, field, expected, got, Sample(ref r), kind));
        return true;
    }

    /// <summary>A value read after a conversion the contract does not declare: tolerated (and recorded) only in a tolerant scope.</summary>
    internal static bool TryConvert(ref Utf8JsonReader r, string expected, string got, string field)
    {
        if (t_current is not { Strictness: JsonStrictness.Tolerant } scope)
        {
            return false;
        }

        scope._pending.Add(new Pending(r.TokenStartIndex, null, field, expected, got, Sample(ref r), JsonDriftKind.Converted));
        return true;
    }

    /// <summary>A conversion the contract declares (an uncertain unit): always done, recorded in any scope.</summary>
    internal static void RecordDeclaredConversion(ref Utf8JsonReader r, string expected, string got, string field)
    {
        t_current?._pending.Add(new Pending(r.TokenStartIndex, null, field, expected, got, Sample(ref r), JsonDriftKind.Converted));
    }

    /// <summary>A kept value outside a closed enum's values: tolerated only in a tolerant scope.</summary>
    internal static bool TryUnlisted(ref Utf8JsonReader r, string expected, string field)
    {
        if (t_current is not { Strictness: JsonStrictness.Tolerant } scope)
        {
            return false;
        }

        scope._pending.Add(new Pending(r.TokenStartIndex, null, field, expected, "an unlisted value", Sample(ref r), JsonDriftKind.Unlisted));
        return true;
    }

    /// <summary>A required property absent from the object that ends at the reader: tolerated only in a tolerant scope.</summary>
    internal static bool TryMissing(ref Utf8JsonReader r, string model, string property)
    {
        if (t_current is not { Strictness: JsonStrictness.Tolerant } scope)
        {
            return false;
        }

        scope._pending.Add(new Pending(r.TokenStartIndex, property, model + "." + property, "the required property", "nothing", null, JsonDriftKind.Missing));
        return true;
    }

    /// <summary>Drops the pending records from <paramref name="count"/> on (those of a rejected item).</summary>
    internal void DiscardPending(int count) => _pending.RemoveRange(count, _pending.Count - count);

    /// <summary>Turns the pending records into drift, their paths found in the item that starts at <paramref name="itemStart"/> of <paramref name="json"/>.</summary>
    internal void Locate(ReadOnlySpan<byte> json, int itemStart, string itemPath)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var item = json[itemStart..];
        foreach (var p in _pending)
        {
            var path = JsonPathFinder.Find(item, p.Offset - itemStart, itemPath) ?? itemPath;
            _drift.Add(Finish(p, path));
        }

        _pending.Clear();
    }

    /// <summary>The drift records from <paramref name="start"/> on.</summary>
    internal JsonDrift[] DriftFrom(int start) => _drift.Count == start ? System.Array.Empty<JsonDrift>() : _drift.GetRange(start, _drift.Count - start).ToArray();

    private void FlushUnlocated()
    {
        foreach (var p in _pending)
        {
            _drift.Add(Finish(p, "(byte " + p.Offset.ToString(CultureInfo.InvariantCulture) + ")"));
        }

        _pending.Clear();
    }

    private JsonDrift Finish(Pending p, string path) =>
        new(p.Member is null ? path : path + JsonPathFinder.Segment(p.Member), p.Field, p.Expected, p.Got, p.Sample, p.Kind) { Endpoint = Endpoint };

    /// <summary>The start of the value as sent (the reader is moved to the value's last token).</summary>
    private static string? Sample(ref Utf8JsonReader r)
    {
        string text;
        switch (r.TokenType)
        {
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                using (var doc = JsonDocument.ParseValue(ref r))
                {
                    text = doc.RootElement.GetRawText();
                }

                break;
            case JsonTokenType.String:
                text = r.GetString() ?? string.Empty;
                break;
            default:
                text = System.Text.Encoding.UTF8.GetString(r.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(r.ValueSequence) : r.ValueSpan);
                break;
        }

        return text.Length <= SampleLength ? text : text[..SampleLength] + "…";
    }

    private readonly record struct Pending(long Offset, string? Member, string Field, string Expected, string Got, string? Sample, JsonDriftKind Kind);
}
