namespace EventsBindings.Spec.Model;

/// <summary>Where a fact comes from.</summary>
public enum ProvenanceKind
{
    /// <summary>In the vendor's own documentation.</summary>
    Documented,

    /// <summary>Seen in real responses or in the behaviour of real clients.</summary>
    Observed,

    /// <summary>Our decision where the documentation is silent.</summary>
    Inferred,
}

/// <summary>The scalar or reference kind of a <see cref="TypeRef"/>.</summary>
public enum TypeKind
{
    /// <summary>32-bit integer.</summary>
    Int32,

    /// <summary>64-bit integer.</summary>
    Int64,

    /// <summary>Floating-point number.</summary>
    Number,

    /// <summary>true / false.</summary>
    Boolean,

    /// <summary>Text.</summary>
    String,

    /// <summary>Calendar date <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>A point in time, written as its <see cref="TimestampEncoding"/> says.</summary>
    Timestamp,

    /// <summary>Any JSON value, kept raw.</summary>
    Json,

    /// <summary>A model of the contract.</summary>
    Model,

    /// <summary>An enum of the contract.</summary>
    Enum,
}

/// <summary>How a timestamp is written on the wire.</summary>
public enum TimestampEncoding
{
    /// <summary>Not a timestamp.</summary>
    None,

    /// <summary>ISO 8601 without offset: a local wall-clock time.</summary>
    IsoLocal,

    /// <summary>ISO 8601 without offset, known to be UTC.</summary>
    IsoUtc,

    /// <summary>ISO 8601 with an offset.</summary>
    Iso,

    /// <summary>Integer milliseconds since the Unix epoch.</summary>
    EpochMillis,

    /// <summary>Integer nanoseconds since the Unix epoch (exact 64-bit).</summary>
    EpochNanos,
}

/// <summary>The kind of an auth scheme.</summary>
public enum AuthKind
{
    /// <summary>A header carries the key.</summary>
    ApiKey,

    /// <summary>HTTP Basic with the key as the password.</summary>
    Basic,

    /// <summary><c>Authorization: Bearer</c> token.</summary>
    Bearer,

    /// <summary>A refresh token exchanged for an access token that is sent as bearer.</summary>
    RefreshToken,

    /// <summary><c>Authorization: &lt;scheme&gt; &lt;token&gt;</c> with a custom scheme name (<see cref="AuthSchemeSpec.AuthorizationScheme"/>).</summary>
    Authorization,
}

/// <summary>Where a parameter travels.</summary>
public enum ParameterLocation
{
    /// <summary>URL query.</summary>
    Query,

    /// <summary>Request header.</summary>
    Header,

    /// <summary>Either; the server accepts both, clients send the query.</summary>
    QueryOrHeader,

    /// <summary>A placeholder in the path.</summary>
    Path,
}

/// <summary>What a parameter does over the item model.</summary>
public enum SemanticsKind
{
    /// <summary>No declared semantics.</summary>
    None,

    /// <summary>Field equals the value.</summary>
    EqualTo,

    /// <summary>Field equals one of the values.</summary>
    OneOf,

    /// <summary>Field greater than (or equal to) the value.</summary>
    GreaterThan,

    /// <summary>Field less than (or equal to) the value.</summary>
    LessThan,

    /// <summary>Ordered enum at this level or above.</summary>
    AtLeast,

    /// <summary>Field within the last N units before now.</summary>
    RelativeWindow,

    /// <summary>Field at or after the cursor.</summary>
    CursorStart,

    /// <summary>The newest N items, in reverse order.</summary>
    NewestN,

    /// <summary>Skip this many items.</summary>
    Offset,

    /// <summary>At most this many items.</summary>
    PageSize,

    /// <summary>Sort direction.</summary>
    SortOrder,

    /// <summary>
    /// The server gives the parameter a meaning the contract does not model (a filter language, a free-text
    /// search): clients send it as given, the mock does not execute it (it answers 501 unless the contract says
    /// <c>mock: ignore</c>) and checks report it as not executed.
    /// </summary>
    Opaque,

    /// <summary>
    /// A SCIM filter expression (RFC 7644 §3.4.2.2: <c>eq ne co sw ew gt ge lt le pr</c>, <c>and or not</c>,
    /// parentheses) over the dotted attribute paths of the item model (<see cref="SemanticsSpec.Attributes"/>,
    /// default every scalar path).
    /// </summary>
    Scim,

    /// <summary>
    /// Keyword search: every whitespace-separated term is contained, without regard to case, in at least one
    /// of the string fields <see cref="SemanticsSpec.Fields"/> (default every string path of the item model).
    /// </summary>
    Keywords,

    /// <summary>
    /// An opaque position the server issues in its next links (next-link paging's cursor): clients never build
    /// one, they send back what the server gave them.
    /// </summary>
    PageToken,
}

/// <summary>What the reset header of a rate limit carries.</summary>
public enum RateLimitResetKind
{
    /// <summary>The UTC epoch second at which the window resets.</summary>
    EpochSeconds,

    /// <summary>The seconds until the window resets.</summary>
    DeltaSeconds,
}

/// <summary>The unit of a relative window.</summary>
public enum WindowUnit
{
    /// <summary>Days.</summary>
    Days,

    /// <summary>Hours.</summary>
    Hours,

    /// <summary>Minutes.</summary>
    Minutes,
}

/// <summary>The shape of a response.</summary>
public enum ResponseKind
{
    /// <summary>An array of items.</summary>
    List,

    /// <summary>One item.</summary>
    Item,

    /// <summary>An integer count.</summary>
    Count,

    /// <summary>The auth exchange's response.</summary>
    Token,
}

/// <summary>Direction of an order.</summary>
public enum SortDirection
{
    /// <summary>Lowest first.</summary>
    Ascending,

    /// <summary>Highest first.</summary>
    Descending,
}

/// <summary>How a client walks pages.</summary>
public enum PaginationStrategy
{
    /// <summary>One request.</summary>
    None,

    /// <summary>Next page starts at a cursor from the last item.</summary>
    Cursor,

    /// <summary>Skip/limit.</summary>
    Offset,

    /// <summary>Follow the next link (or opaque token) the server puts in a header or a body field.</summary>
    NextLink,
}

/// <summary>How the next cursor derives from the last item.</summary>
public enum CursorNext
{
    /// <summary>The last item's field + 1.</summary>
    LastPlusOne,

    /// <summary>The last item's field.</summary>
    Last,
}

/// <summary>When paging stops.</summary>
public enum StopRule
{
    /// <summary>A page shorter than the page size is the last.</summary>
    ShortPage,

    /// <summary>Stop at the first empty page.</summary>
    EmptyPage,

    /// <summary>Next-link paging: stop when a page carries no next link.</summary>
    Absent,
}

/// <summary>The incremental-sync cursor a client keeps.</summary>
public enum SyncStrategy
{
    /// <summary>Highest id seen + 1.</summary>
    IdCursor,

    /// <summary>Last timestamp minus an overlap, with id de-duplication.</summary>
    TimeCursor,

    /// <summary>The next link (or opaque token) of the last delivered page, with id de-duplication.</summary>
    NextLink,
}

/// <summary>What a demo credential may do on the mock.</summary>
public enum CredentialAccess
{
    /// <summary>May read.</summary>
    Read,

    /// <summary>Valid, but may not read (403).</summary>
    None,
}
