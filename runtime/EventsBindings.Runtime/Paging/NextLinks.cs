using System.Globalization;

namespace EventsBindings.Runtime.Paging;

/// <summary>Where a next-link endpoint's response names its next page (from the contract's <c>pagination.nextLink</c>).</summary>
public sealed class NextLinkLocation
{
    private NextLinkLocation(string? header, string? rel, IReadOnlyList<string>? field)
    {
        HeaderName = header;
        Rel = rel;
        FieldPath = field;
    }

    /// <summary>An RFC 8288 link header (<c>Link</c>) entry with the relation <paramref name="rel"/>.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="rel">The relation type of the next page, compared case-insensitively.</param>
    /// <returns>The location.</returns>
    public static NextLinkLocation Header(string name, string rel)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(rel);
        return new NextLinkLocation(name, rel, null);
    }

    /// <summary>
    /// A string field of the body, named by its property names from the root object (as the contract's path parsed:
    /// <c>links.next</c> is <c>["links", "next"]</c>, <c>['@odata.nextLink']</c> is <c>["@odata.nextLink"]</c>; a name
    /// is taken as it is, dots included); absent, null or empty: no next page.
    /// </summary>
    /// <param name="path">The property names from the root object, at least one, none empty.</param>
    /// <returns>The location.</returns>
    public static NextLinkLocation Field(IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Count == 0 || path.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A body field's path names at least one property, and no empty one.", nameof(path));
        }

        return new NextLinkLocation(null, null, path.ToArray());
    }

    /// <summary>The header name, or null for a body field.</summary>
    public string? HeaderName { get; }

    /// <summary>The relation type, or null for a body field.</summary>
    public string? Rel { get; }

    /// <summary>The body field's property names from the root object, or null for a header.</summary>
    public IReadOnlyList<string>? FieldPath { get; }
}

/// <summary>One page of a next-link endpoint as received: the items, the next link as the server wrote it, and the request's URI.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class LinkedPage<T>
{
    /// <summary>Creates a page.</summary>
    /// <param name="items">The items.</param>
    /// <param name="next">The next link (URI reference, possibly relative) or token as the server wrote it; null when none.</param>
    /// <param name="requestUri">The URI the page was fetched from (relative next links resolve against it).</param>
    public LinkedPage(IReadOnlyList<T> items, string? next, Uri requestUri)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(requestUri);
        Items = items;
        Next = string.IsNullOrEmpty(next) ? null : next;
        RequestUri = requestUri;
    }

    /// <summary>The items.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>The next link or token as the server wrote it; null when the page names none.</summary>
    public string? Next { get; }

    /// <summary>The URI the page was fetched from.</summary>
    public Uri RequestUri { get; }

    /// <summary>The raw response the page came from; null for a page made in code.</summary>
    public EventsResponse? Response { get; init; }
}

/// <summary>Resolving and checking next links: relative references, and the rule that a link never leaves the client's origin.</summary>
public static class NextLinks
{
    /// <summary>True when both URIs have the same scheme, host and port (the origin of RFC 6454).</summary>
    /// <param name="a">One absolute URI.</param>
    /// <param name="b">The other.</param>
    /// <returns>Whether they share an origin.</returns>
    public static bool SameOrigin(Uri a, Uri b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.IsAbsoluteUri && b.IsAbsoluteUri
            && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
            && a.Port == b.Port;
    }

    /// <summary>The origin of an absolute URI as text (<c>https://host:443</c>), never its path, query or user info.</summary>
    /// <param name="uri">The URI.</param>
    /// <returns>The origin.</returns>
    public static string OriginOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme + "://" + uri.IdnHost + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Resolves a next link against the URI of the request that returned it and checks that it stays on the origin
    /// of the client's base URL.
    /// </summary>
    /// <param name="requestUri">The request's URI.</param>
    /// <param name="link">The link as the server wrote it (absolute or relative).</param>
    /// <param name="baseUri">The client's base URL.</param>
    /// <returns>The absolute link.</returns>
    /// <exception cref="EventsPagingException">The link is not a URI reference, or points to another origin (<see cref="EventsPagingException.CrossOrigin"/>).</exception>
    public static Uri Resolve(Uri requestUri, string link, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(requestUri);
        ArgumentNullException.ThrowIfNull(link);
        if (!Uri.TryCreate(requestUri, link, out var absolute) || !absolute.IsAbsoluteUri)
        {
            throw new EventsPagingException($"The server's next link is not a URI reference; the walk stops at {requestUri.AbsolutePath}.", null, false);
        }

        CheckOrigin(absolute, baseUri);
        return absolute;
    }

    /// <summary>Throws unless <paramref name="link"/> has the origin of <paramref name="baseUri"/>.</summary>
    /// <param name="link">An absolute link about to be followed.</param>
    /// <param name="baseUri">The client's base URL.</param>
    /// <exception cref="EventsPagingException">Another origin: the request would carry the client's credentials there.</exception>
    public static void CheckOrigin(Uri link, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!SameOrigin(link, baseUri))
        {
            throw new EventsPagingException(
                $"The server's next link points to another origin ({(link.IsAbsoluteUri ? OriginOf(link) : "a relative URI")}) than the client's base URL ({OriginOf(baseUri)}); it is not followed, since the request would carry the client's credentials there.",
                null,
                true);
        }
    }

    /// <summary>The path of a link, for messages (never its query, which may hold anything the server put there).</summary>
    internal static string Shown(string link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) ? uri.AbsolutePath : "(a token)";
}
