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

    /// <summary>The cursor the page that did not move forward was requested at.</summary>
    public long Cursor { get; }
}
