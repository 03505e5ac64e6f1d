namespace EventsBindings.Runtime.Paging;

/// <summary>
/// Next-link paging and sync: a server that answers every link with the same page (it ignores the link, or
/// mints a new link to the same position each time) never repeats a link, so the loop check on links alone
/// walks forever. This check fetches each page with its items' JSON captured and compares the page with the
/// one before it: a non-empty page with as many items as the previous one and the same first and last items
/// (byte for byte as the server sent them) did not move forward, and ends the walk with an
/// <see cref="EventsPagingException"/>, as the offset pager's first/last identity check does.
/// </summary>
/// <remarks>One instance per walk; not thread-safe.</remarks>
internal sealed class RepeatedPageCheck
{
    private byte[]? _first;
    private byte[]? _last;
    private int _count;

    /// <summary>Fetches a page (its items' JSON captured) and throws when it repeats the page before it.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="fetch">The walk's fetch.</param>
    /// <param name="link">The link or token the page is fetched at (null: the first request).</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The page.</returns>
    /// <exception cref="EventsPagingException">The page repeats the page before it.</exception>
    public async Task<LinkedPage<T>> FetchAsync<T>(Func<string?, CancellationToken, Task<LinkedPage<T>>> fetch, string? link, CancellationToken cancellationToken)
    {
        var captured = Json.RawJsonCapture.IsActive;
        LinkedPage<T> page;
        using (Json.RawJsonCapture.Begin())
        {
            page = await fetch(link, cancellationToken).ConfigureAwait(false);
        }

        if (!NamesItself(page, link))
        {
            // (A page that names its own link again is the link loop check's, whose message says so.)
            Check(page.Items, page.RequestUri, link);
        }

        // The caller did not ask for the JSON: hand the items over as without the capture (a sink writes the
        // model's JSON then, not the server's bytes), keeping what the read reported.
        return captured || page.Items is not Json.IRawJsonItems ? page : new LinkedPage<T>(Uncaptured(page.Items), page.Next, page.RequestUri) { Response = page.Response };
    }

    private static bool NamesItself<T>(LinkedPage<T> page, string? link) =>
        link is not null && page.Next is { } next
        && (string.Equals(next, link, StringComparison.Ordinal)
            || (Uri.TryCreate(page.RequestUri, next, out var resolved) && string.Equals(resolved.AbsoluteUri, link, StringComparison.Ordinal)));

    private static IReadOnlyList<T> Uncaptured<T>(IReadOnlyList<T> items)
    {
        var copy = items.ToArray();
        var drift = Json.JsonReadReport.DriftOf(items);
        var rejected = Json.JsonReadReport.RejectedOf(items);
        return drift.Count == 0 && rejected.Count == 0 ? copy : new ReportedItems<T>(copy, drift, rejected);
    }

    /// <summary>Items with what their read reported, without their JSON.</summary>
    private sealed class ReportedItems<T>(T[] items, IReadOnlyList<Json.JsonDrift> drift, IReadOnlyList<Json.JsonRejectedItem> rejected) : IReadOnlyList<T>, Json.IJsonReadReport
    {
        public int Count => items.Length;

        public IReadOnlyList<Json.JsonDrift> Drift => drift;

        public IReadOnlyList<Json.JsonRejectedItem> Rejected => rejected;

        public T this[int index] => items[index];

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => items.GetEnumerator();
    }

    /// <summary>Compares a page with the one before it, then remembers it.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The page's items (their JSON captured when they are <see cref="Json.IRawJsonItems"/>).</param>
    /// <param name="requestUri">Where the page was fetched (shown without its query).</param>
    /// <param name="link">The link or token the page was fetched at.</param>
    /// <exception cref="EventsPagingException">The page repeats the page before it.</exception>
    public void Check<T>(IReadOnlyList<T> items, Uri requestUri, string? link)
    {
        if (items is not Json.IRawJsonItems raw || items.Count == 0)
        {
            // Without the items' JSON there is nothing to compare; an empty page ends or continues the walk by the links' rules.
            _first = _last = null;
            _count = 0;
            return;
        }

        var first = raw.GetRawJson(0).Span;
        var last = raw.GetRawJson(items.Count - 1).Span;
        if (_first is not null && _last is not null && _count == items.Count && first.SequenceEqual(_first) && last.SequenceEqual(_last))
        {
            throw new EventsPagingException(
                $"The page at {NextLinks.Shown(requestUri.AbsoluteUri)} repeats the page before it ({items.Count} items, the same first and last) under another link; the server appears to ignore the link.",
                link,
                false);
        }

        _first = first.ToArray();
        _last = last.ToArray();
        _count = items.Count;
    }
}
