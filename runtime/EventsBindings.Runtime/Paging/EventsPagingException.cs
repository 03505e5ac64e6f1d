namespace EventsBindings.Runtime.Paging;

/// <summary>
/// The server's pages do not follow the contract's paging: a full page did not move the cursor forward (the
/// server appears to ignore the cursor parameter), so going on would fetch the same page forever. Nothing is
/// wrong locally; the server (or the base URL, or the choice of API) is.
/// </summary>
public sealed class EventsPagingException : InvalidOperationException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="cursor">The cursor the page was requested at.</param>
    public EventsPagingException(string message, long cursor)
        : base(message)
    {
        Cursor = cursor;
    }

    /// <summary>Creates an exception of next-link paging.</summary>
    /// <param name="message">What happened (names no secret: origins and paths, never a query or a credential).</param>
    /// <param name="link">The next link (or token) concerned, when it may be shown; null otherwise.</param>
    /// <param name="crossOrigin">True when the link pointed to another origin than the client's base URL and was not followed.</param>
    public EventsPagingException(string message, string? link, bool crossOrigin)
        : base(message)
    {
        Link = link;
        CrossOrigin = crossOrigin;
    }

    /// <summary>The cursor the page that did not move forward was requested at (0 for next-link paging).</summary>
    public long Cursor { get; }

    /// <summary>Next-link paging: the link (or token) that repeated or could not be followed; null when not shown.</summary>
    public string? Link { get; }

    /// <summary>
    /// Next-link paging: the server named a next page on another origin (scheme, host or port) than the client's
    /// base URL. It is never followed: the request would carry the client's credentials to that origin.
    /// </summary>
    public bool CrossOrigin { get; }
}
