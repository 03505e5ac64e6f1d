namespace EventsBindings.Runtime.Paging;

/// <summary>One page of items and the token that resumes after it.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class EventsPage<T>
{
    /// <summary>Creates a page.</summary>
    /// <param name="items">The items.</param>
    /// <param name="continuationToken">The token of the next page, or null when this is the last.</param>
    /// <param name="response">The raw response the page came from; null for a page made in code (a test's).</param>
    public EventsPage(IReadOnlyList<T> items, string? continuationToken, EventsResponse? response = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        ContinuationToken = continuationToken;
        _response = response;
    }

    private readonly EventsResponse? _response;

    /// <summary>The items.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>
    /// An opaque, serializable token that resumes the enumeration at the next page (pass it to
    /// <see cref="EventsPageable{T}.AsPages"/> of the generated list method), or null when this page is the last.
    /// </summary>
    public string? ContinuationToken { get; }

    /// <summary>The raw response the page came from (status, headers, the rate limit it reports); null for a page made in code.</summary>
    /// <returns>The raw response, or null.</returns>
    public EventsResponse? GetRawResponse() => _response;

    /// <summary>
    /// The items' original JSON, as the server sent it; only when the page was read inside a
    /// <see cref="Json.RawJsonCapture"/> scope, null otherwise.
    /// </summary>
    public Json.IRawJsonItems? RawJson => Items as Json.IRawJsonItems;

    /// <summary>
    /// What departed from the contract in this page's items and was read tolerantly (empty when the page fits
    /// the contract): path, field, what was expected and what came.
    /// </summary>
    public IReadOnlyList<Json.JsonDrift> Drift => Json.JsonReadReport.DriftOf(Items);

    /// <summary>The items of this page that could not be read at all, with their raw bytes and position (normally empty).</summary>
    public IReadOnlyList<Json.JsonRejectedItem> Rejected => Json.JsonReadReport.RejectedOf(Items);
}

/// <summary>How a cursor page's next cursor is derived from its last item.</summary>
public enum CursorAdvance
{
    /// <summary>The next page starts at the last item's cursor plus one.</summary>
    LastPlusOne,

    /// <summary>The next page starts at the last item's cursor (an exclusive cursor).</summary>
    Last,
}

/// <summary>How the last page is recognised.</summary>
public enum PageStop
{
    /// <summary>A page shorter than the page size is the last.</summary>
    ShortPage,

    /// <summary>The first empty page ends the enumeration.</summary>
    EmptyPage,

    /// <summary>Next-link paging: a page without a next link is the last (an empty page that names a next page does not end it).</summary>
    Absent,
}
