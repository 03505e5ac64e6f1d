using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace EventsBindings.Runtime.Paging;

/// <summary>
/// What a generated list method returns (as Azure.Core's <c>AsyncPageable&lt;T&gt;</c>): <c>await foreach</c>
/// over it streams every item, page after page, following the contract's pagination; <see cref="AsPages"/> gives
/// the pages themselves, each with its continuation token and raw response, from the start or from a token.
/// Nothing is requested until it is enumerated, and each enumeration starts anew.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public abstract class EventsPageable<T> : IAsyncEnumerable<T>
{
    /// <summary>For mocking: a pageable with no cancellation token of its own.</summary>
    protected EventsPageable()
        : this(CancellationToken.None)
    {
    }

    /// <summary>A pageable whose enumerations are cancelled by <paramref name="cancellationToken"/>.</summary>
    /// <param name="cancellationToken">The token of the call that made the pageable.</param>
    protected EventsPageable(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

    /// <summary>The token of the call that made the pageable; it cancels every enumeration.</summary>
    protected virtual CancellationToken CancellationToken { get; }

    /// <summary>The pages, each with its items, continuation token and raw response.</summary>
    /// <param name="continuationToken">A page's <see cref="EventsPage{T}.ContinuationToken"/> to resume after; null to start.</param>
    /// <param name="pageSizeHint">
    /// Items per request, instead of the query's page size (bounded by the contract's maximum); null for the
    /// query's or the contract's default. Endpoints without a page size ignore it.
    /// </param>
    /// <returns>The pages; a failed page is retried alone, never the whole enumeration.</returns>
    public abstract IAsyncEnumerable<EventsPage<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null);

    /// <summary>Streams every item, page after page.</summary>
    /// <param name="cancellationToken">Cancels the enumeration (besides the token given to the list method).</param>
    /// <returns>The items.</returns>
    public virtual async IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        // The pages' own enumerator links this token with the list method's (their [EnumeratorCancellation] parameter).
        await foreach (var page in AsPages().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }
}

/// <summary>Makes <see cref="EventsPageable{T}"/> instances: from fixed pages (tests, mocks of generated clients) or for generated clients.</summary>
public static class EventsPageable
{
    /// <summary>A pageable over pages made in code, for tests and mocks of generated clients.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="pages">The pages, in order; a continuation token resumes after the page that carries it.</param>
    /// <returns>The pageable.</returns>
    public static EventsPageable<T> FromPages<T>(IEnumerable<EventsPage<T>> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var list = pages.ToList();
        return new DelegatePageable<T>((token, _, ct) => Replay(list, token, ct), CancellationToken.None);
    }

    /// <summary>For generated clients: a pageable whose pages come from <paramref name="pages"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="pages">The pages from a continuation token (null: the start) with a page size hint.</param>
    /// <param name="cancellationToken">The list method's token.</param>
    /// <returns>The pageable.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static EventsPageable<T> Create<T>(Func<string?, int?, CancellationToken, IAsyncEnumerable<EventsPage<T>>> pages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pages);
        return new DelegatePageable<T>(pages, cancellationToken);
    }

    /// <summary>
    /// A page size hint applied to a request's page size: the hint when given, bounded by the contract's maximum;
    /// else the query's value. A hint below 1 is the caller's error.
    /// </summary>
    /// <param name="hint">The caller's hint, or null.</param>
    /// <param name="fromQuery">The page size the query (or the contract's default) gives.</param>
    /// <param name="maximum">The contract's maximum, or null.</param>
    /// <returns>The page size to request.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static int PageSize(int? hint, int fromQuery, long? maximum)
    {
        if (hint is not { } h)
        {
            return fromQuery;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(h, 1, "pageSizeHint");
        return maximum is { } max && h > max ? (int)Math.Min(max, int.MaxValue) : h;
    }

    private static async IAsyncEnumerable<EventsPage<T>> Replay<T>(List<EventsPage<T>> pages, string? continuationToken, [EnumeratorCancellation] CancellationToken ct)
    {
        var start = 0;
        if (continuationToken is not null)
        {
            start = pages.FindIndex(p => p.ContinuationToken == continuationToken) + 1;
            if (start == 0)
            {
                throw new ArgumentException("No page carries this continuation token.", nameof(continuationToken));
            }
        }

        for (var i = start; i < pages.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return pages[i];
        }
    }

    private sealed class DelegatePageable<T>(Func<string?, int?, CancellationToken, IAsyncEnumerable<EventsPage<T>>> pages, CancellationToken cancellationToken)
        : EventsPageable<T>(cancellationToken)
    {
        public override IAsyncEnumerable<EventsPage<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null) =>
            pages(continuationToken, pageSizeHint, CancellationToken);
    }
}
