// One file of about 620 lines on purpose: the contract model's records: small immutable types that read as one schema (each record is documented where it is declared).
namespace EventsBindings.Spec.Model;

/// <summary>Where a fact comes from, with a note.</summary>
public sealed record Provenance(ProvenanceKind Kind, string? Note);

/// <summary>
/// A parsed, validated contract. Immutable and value-equal: two contracts written differently
/// (key order, quoting, whitespace) that mean the same compare equal. Holds no locations.
/// </summary>
public sealed record ContractSpec(
    string Name,
    string Namespace,
    string Title,
    string? Version,
    string? Docs,
    string? Description,
    Provenance? Provenance,
    EquatableArray<ServerSpec> Servers,
    EquatableArray<AuthSchemeSpec> AuthSchemes,
    EquatableArray<string> Security,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<ModelSpec> Models,
    EquatableArray<ErrorSpec> Errors,
    EquatableArray<EndpointSpec> Endpoints,
    MockSpec? Mock)
{
    /// <summary>The rate-limit headers the API sends (<c>rateLimit</c>), or null.</summary>
    public RateLimitSpec? RateLimit { get; init; }

    /// <summary>The model named <paramref name="name"/>, or null.</summary>
    public ModelSpec? FindModel(string name)
    {
        foreach (var model in Models)
        {
            if (model.Name == name)
            {
                return model;
            }
        }

        return null;
    }

    /// <summary>
    /// The probability that the mock writes <c>null</c> for <paramref name="field"/> of
    /// <paramref name="owner"/>: the field's <c>mock.nullRate</c>, else its model's, else the
    /// dataset's, else <see cref="MockRatesSpec.DefaultNullRate"/>; 0 when the field is not nullable.
    /// </summary>
    public double MockNullRate(ModelSpec owner, FieldSpec field) =>
        field.Nullable ? field.Mock?.NullRate ?? owner.Mock?.NullRate ?? Mock?.Rates?.NullRate ?? MockRatesSpec.DefaultNullRate : 0;

    /// <summary>
    /// The probability that the mock leaves <paramref name="field"/> of <paramref name="owner"/> out:
    /// the field's <c>mock.absentRate</c>, else its model's, else the dataset's, else
    /// <see cref="MockRatesSpec.DefaultAbsentRate"/>; 0 when the field is not optional.
    /// </summary>
    public double MockAbsentRate(ModelSpec owner, FieldSpec field) =>
        field.Optional ? field.Mock?.AbsentRate ?? owner.Mock?.AbsentRate ?? Mock?.Rates?.AbsentRate ?? MockRatesSpec.DefaultAbsentRate : 0;

    /// <summary>The enum named <paramref name="name"/>, or null.</summary>
    public EnumSpec? FindEnum(string name)
    {
        foreach (var e in Enums)
        {
            if (e.Name == name)
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>The endpoint named <paramref name="name"/>, or null.</summary>
    public EndpointSpec? FindEndpoint(string name)
    {
        foreach (var endpoint in Endpoints)
        {
            if (endpoint.Name == name)
            {
                return endpoint;
            }
        }

        return null;
    }

    /// <summary>The auth scheme named <paramref name="name"/>, or null.</summary>
    public AuthSchemeSpec? FindScheme(string name)
    {
        foreach (var scheme in AuthSchemes)
        {
            if (scheme.Name == name)
            {
                return scheme;
            }
        }

        return null;
    }

    /// <summary>
    /// Follows a dotted path of JSON names from <paramref name="model"/> through nested models.
    /// Returns the fields along the path, or null when a step does not exist.
    /// </summary>
    public IReadOnlyList<FieldSpec>? ResolvePath(ModelSpec model, string path)
    {
        var result = new List<FieldSpec>();
        ModelSpec? current = model;
        foreach (var step in path.Split('.'))
        {
            if (current is null)
            {
                return null;
            }

            var field = current.FindField(step);
            if (field is null)
            {
                return null;
            }

            result.Add(field);
            current = field.Type.Kind == TypeKind.Model && !field.Type.IsArray ? FindModel(field.Type.Name!) : null;
        }

        return result;
    }

    /// <summary>The error responses of <paramref name="endpoint"/>: its own, then the contract's for other statuses.</summary>
    public IReadOnlyList<ErrorSpec> ErrorsFor(EndpointSpec endpoint)
    {
        var result = new List<ErrorSpec>(endpoint.Errors);
        foreach (var error in Errors)
        {
            if (!result.Exists(e => e.Status == error.Status))
            {
                result.Add(error);
            }
        }

        result.Sort((a, b) => a.Status.CompareTo(b.Status));
        return result;
    }
}

/// <summary>A named base URL.</summary>
public sealed record ServerSpec(string Name, string Url, bool IsDefault, string? Description, Provenance? Provenance)
{
    /// <summary>
    /// The variables of a URL template (<c>https://{domain}</c>): each <c>{name}</c> placeholder of
    /// <see cref="Url"/> has one, in the order of their first appearance in the URL. Empty for a fixed URL.
    /// </summary>
    public EquatableArray<ServerVariableSpec> Variables { get; init; } = EquatableArray<ServerVariableSpec>.Empty;

    /// <summary>Whether <see cref="Url"/> is a template with variables.</summary>
    public bool IsTemplate => Variables.Count > 0;
}

/// <summary>A variable of a server URL template (<c>servers[].variables.X</c>).</summary>
/// <param name="Name">The placeholder's name, <c>{Name}</c> in the URL.</param>
/// <param name="Default">The value used when the client gives none; null when the client must give one.</param>
/// <param name="Description">What the value is.</param>
/// <param name="Enum">The only values allowed, when the contract lists them (in contract order); empty for any value.</param>
public sealed record ServerVariableSpec(string Name, string? Default, string? Description, EquatableArray<string> Enum);

/// <summary>An auth scheme.</summary>
public sealed record AuthSchemeSpec(
    string Name,
    AuthKind Kind,
    string? Header,
    string? ExchangeEndpoint,
    string? TokenField,
    string? Description,
    Provenance? Provenance)
{
    /// <summary>
    /// For <see cref="AuthKind.Authorization"/>: the scheme name written before the token in
    /// <c>Authorization: &lt;scheme&gt; &lt;token&gt;</c> (an HTTP token, compared case-insensitively by servers).
    /// </summary>
    public string? AuthorizationScheme { get; init; }
}

/// <summary>
/// A type: a scalar kind, or a reference to a model or enum by name; possibly an array.
/// </summary>
public sealed record TypeRef(TypeKind Kind, string? Name, bool IsArray, TimestampEncoding Encoding)
{
    /// <summary>The element type of an array type (or this type).</summary>
    public TypeRef Element => IsArray ? this with { IsArray = false } : this;

    /// <inheritdoc />
    public override string ToString()
    {
        var text = Kind switch
        {
            TypeKind.Model or TypeKind.Enum => Name!,
            _ => char.ToLowerInvariant(Kind.ToString()[0]) + Kind.ToString().Substring(1),
        };
        return IsArray ? text + "[]" : text;
    }
}

/// <summary>An enum value.</summary>
public sealed record EnumValueSpec(string Value, string CSharpName, string? Description, Provenance? Provenance);

/// <summary>An enum: unknown values are preserved (and, when <see cref="Closed"/>, reported as drift).</summary>
public sealed record EnumSpec(
    string Name,
    TypeKind UnderlyingType,
    bool Ordered,
    bool CaseInsensitive,
    string? Description,
    Provenance? Provenance,
    EquatableArray<EnumValueSpec> Values)
{
    /// <summary>
    /// The values are all there are: a value outside them is drift (tolerant readers keep it and report it,
    /// strict readers fail). Open enums (the default) take unknown values silently.
    /// </summary>
    public bool Closed { get; init; }

    /// <summary>The index of <paramref name="value"/> among the values (for ordering), or -1.</summary>
    public int IndexOf(string value)
    {
        for (var i = 0; i < Values.Count; i++)
        {
            if (string.Equals(Values[i].Value, value, CaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>How the mock server invents a field's values.</summary>
/// <param name="Values">Values to draw from.</param>
/// <param name="Generate">A named generator.</param>
/// <param name="NullRate">Probability of <c>null</c> (nullable fields); null when the field does not set it (the model's or the dataset's rate applies).</param>
/// <param name="Describes">A sibling enum field whose value's description this field carries.</param>
/// <param name="CopyOf">A sibling field whose value this field repeats.</param>
/// <param name="From">The field of the dataset model a projected model takes this value from.</param>
/// <param name="AbsentRate">Probability that the property is left out (optional fields); null when the field does not set it.</param>
/// <param name="FractionDigits">ISO timestamps: the exact number of second-fraction digits written (0 to 7); null for the default (up to 7, trailing zeros dropped).</param>
public sealed record FieldMockSpec(
    EquatableArray<string> Values,
    string? Generate,
    double? NullRate,
    string? Describes,
    string? CopyOf,
    string? From,
    double? AbsentRate = null,
    int? FractionDigits = null);

/// <summary>
/// The rates of <c>null</c> and of absent properties that a model (<c>models.X.mock</c>) or the
/// dataset (<c>mock.dataset</c>) sets for the nullable and optional fields that do not set their own.
/// </summary>
/// <param name="NullRate">Probability of <c>null</c> for a nullable field; null when not set here.</param>
/// <param name="AbsentRate">Probability that an optional field is left out; null when not set here.</param>
public sealed record MockRatesSpec(double? NullRate, double? AbsentRate)
{
    /// <summary>The rate of <c>null</c> of nullable fields when neither the field, its model nor the dataset sets one.</summary>
    public const double DefaultNullRate = 0.1;

    /// <summary>The rate of absence of optional fields when neither the field, its model nor the dataset sets one.</summary>
    public const double DefaultAbsentRate = 0.1;
}

/// <summary>A field of a model.</summary>
public sealed record FieldSpec(
    string JsonName,
    string CSharpName,
    TypeRef Type,
    bool Nullable,
    bool Optional,
    string? Description,
    Provenance? Provenance,
    FieldMockSpec? Mock)
{
    /// <summary>
    /// An epoch timestamp whose unit real servers do not always honour: readers tell seconds, milliseconds,
    /// microseconds and nanoseconds apart by magnitude and convert to the declared encoding, reporting drift.
    /// </summary>
    public bool UnitUncertain { get; init; }
}

/// <summary>A model: an object with fields in wire order.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Description">Its description.</param>
/// <param name="Provenance">Where it comes from.</param>
/// <param name="Fields">Its fields, in wire order.</param>
/// <param name="Mock">The mock's rates of null and absent values for its fields (<c>mock</c> of the model), if set.</param>
public sealed record ModelSpec(string Name, string? Description, Provenance? Provenance, EquatableArray<FieldSpec> Fields, MockRatesSpec? Mock = null)
{
    /// <summary>The field with this JSON name, or null.</summary>
    public FieldSpec? FindField(string jsonName)
    {
        foreach (var field in Fields)
        {
            if (field.JsonName == jsonName)
            {
                return field;
            }
        }

        return null;
    }
}

/// <summary>What a parameter does over the item model.</summary>
public sealed record SemanticsSpec(
    SemanticsKind Kind,
    string? Field,
    bool Inclusive,
    bool CaseInsensitive,
    WindowUnit Unit,
    string? Ascending,
    string? Descending)
{
    /// <summary>
    /// For <see cref="SemanticsKind.Opaque"/>: the mock ignores the parameter (<c>mock: ignore</c>) instead of
    /// answering 501 Not Implemented.
    /// </summary>
    public bool MockIgnores { get; init; }

    /// <summary>
    /// For <see cref="SemanticsKind.Scim"/>: the dotted attribute paths a filter may name (<c>attributes</c>);
    /// empty for every scalar path of the item model (see <see cref="FilterPaths"/>).
    /// </summary>
    public EquatableArray<string> Attributes { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// For <see cref="SemanticsKind.Keywords"/>: the dotted string paths searched (<c>fields</c>); empty for
    /// every string path of the item model.
    /// </summary>
    public EquatableArray<string> Fields { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// For <see cref="SemanticsKind.Scim"/>: the code written into the error's <c>code</c> field when a filter is
    /// malformed or names an attribute it may not (<c>errorCode</c>); null for the mock's rule name.
    /// </summary>
    public string? ErrorCode { get; init; }
}

/// <summary>
/// The rate-limit headers an API sends (top-level <c>rateLimit</c>): the window's limit, what remains of it and
/// when it resets. Clients use the reset header as a retry hint when a 429 or 503 carries no Retry-After.
/// </summary>
/// <param name="Limit">The header carrying the number of requests per window, or null.</param>
/// <param name="Remaining">The header carrying the requests left in the window, or null.</param>
/// <param name="Reset">The header carrying when the window resets.</param>
/// <param name="ResetKind">What <paramref name="Reset"/> carries: an epoch second or a delay in seconds.</param>
/// <param name="Provenance">Where the rate limit is known from.</param>
public sealed record RateLimitSpec(string? Limit, string? Remaining, string Reset, RateLimitResetKind ResetKind, Provenance? Provenance = null);

/// <summary>A request parameter.</summary>
public sealed record ParameterSpec(
    string WireName,
    string CSharpName,
    TypeRef Type,
    string? Separator,
    ParameterLocation In,
    bool Required,
    string? Default,
    long? Minimum,
    long? Maximum,
    bool CaseInsensitive,
    EquatableArray<string> IgnoredWhen,
    SemanticsSpec Semantics,
    string? Description,
    Provenance? Provenance)
{
    /// <summary>
    /// A default computed at request time from the clock or another parameter
    /// (<c>default: { relativeTo, offset }</c>); null when the default is a fixed value (<see cref="Default"/>) or none.
    /// </summary>
    public RelativeDefaultSpec? RelativeDefault { get; init; }
}

/// <summary>
/// A time default relative to now or to another time parameter: the value is that instant plus
/// <see cref="GetOffset"/> (signed). When the other parameter is absent, now is used.
/// </summary>
/// <param name="RelativeTo">The wire name of another timestamp or date parameter of the endpoint, or null for now.</param>
/// <param name="OffsetTicks">The signed offset added to the base instant, in 100 ns ticks (see <see cref="GetOffset"/>).</param>
public sealed record RelativeDefaultSpec(string? RelativeTo, long OffsetTicks)
{
    /// <summary>The signed offset added to the base instant.</summary>
    /// <returns>The offset.</returns>
    public TimeSpan GetOffset() => TimeSpan.FromTicks(OffsetTicks);

    /// <summary>The base instant: <paramref name="relativeValue"/> (the other parameter's value when given), else <paramref name="now"/>; plus the offset.</summary>
    /// <param name="relativeValue">The value of <see cref="RelativeTo"/> when the request gives it (or it defaulted), else null.</param>
    /// <param name="now">The current instant.</param>
    /// <returns>The default instant.</returns>
    public DateTimeOffset Resolve(DateTimeOffset? relativeValue, DateTimeOffset now) => (RelativeTo is null ? now : relativeValue ?? now) + GetOffset();

    /// <summary>Plain-English text for docs: <c>7 days before until (or now when until is absent)</c>.</summary>
    /// <returns>The text.</returns>
    public string Describe()
    {
        var offset = GetOffset();
        var magnitude = offset < TimeSpan.Zero ? offset.Negate() : offset;
        var anchor = RelativeTo is null ? "now" : $"{RelativeTo} (or now when {RelativeTo} is absent)";
        if (magnitude == TimeSpan.Zero)
        {
            return RelativeTo is null ? "now" : anchor;
        }

        return $"{IsoDuration.Describe(magnitude)} {(offset < TimeSpan.Zero ? "before" : "after")} {anchor}";
    }
}

/// <summary>The response of an endpoint.</summary>
public sealed record ResponseSpec(ResponseKind Kind, string? Model, string? Envelope, long? Cap);

/// <summary>The natural order of a list endpoint's items.</summary>
public sealed record OrderSpec(string Field, SortDirection Direction);

/// <summary>How a client walks the pages of an endpoint.</summary>
public sealed record PaginationSpec(
    PaginationStrategy Strategy,
    string? CursorParameter,
    string? CursorField,
    CursorNext CursorNext,
    string? OffsetParameter,
    string? PageSizeParameter,
    StopRule Stop,
    Provenance? Provenance)
{
    /// <summary>Next-link paging (<c>strategy: nextLink</c>): where the next link comes from; null for the other strategies.</summary>
    public NextLinkSpec? NextLink { get; init; }

    /// <summary>
    /// Next-link paging: the wire name of the opaque cursor parameter (semantics <c>pageToken</c>) the server puts
    /// in its links (<c>cursor</c>), or to which a body-field token is sent back (<c>nextLink.parameter</c>).
    /// </summary>
    public string? TokenParameter { get; init; }
}

/// <summary>
/// Where a next-link endpoint's next page is named: an RFC 8288 <c>Link</c> header entry with a relation
/// (<see cref="Header"/> and <see cref="Rel"/>), or a body field (<see cref="Field"/>, a path from the body's root
/// whose names may hold dots: <c>['@odata.nextLink']</c>) holding a URL, or an opaque token sent back in <see cref="Parameter"/>.
/// </summary>
public sealed record NextLinkSpec(string? Header, string? Rel, BodyPath? Field, string? Parameter)
{
    /// <summary>True when the next page is named by an opaque token sent back in a parameter, not by a URL.</summary>
    public bool IsToken => Parameter is not null;
}

/// <summary>A name and a value (sync settings, example queries, mock combinations); lists of them are sorted by name, since YAML mappings have no order.</summary>
public sealed record ParameterValue(string Name, string Value);

/// <summary>
/// The incremental-sync cursor a client keeps for an endpoint. For <see cref="SyncStrategy.NextLink"/>,
/// <see cref="Parameter"/> is the pagination's token parameter and <see cref="Field"/> the <see cref="DedupBy"/> field
/// (the cursor is the stored next link itself).
/// </summary>
public sealed record SyncSpec(
    SyncStrategy Strategy,
    string Parameter,
    string Field,
    long OverlapMilliseconds,
    string? DedupBy,
    EquatableArray<ParameterValue> Set,
    EquatableArray<ParameterValue> Defaults,
    Provenance? Provenance);

/// <summary>A header of an error response; an error's headers are sorted by name.</summary>
public sealed record HeaderValue(string Name, string Value);

/// <summary>An error response.</summary>
public sealed record ErrorSpec(
    int Status,
    string Meaning,
    string? Model,
    string? Body,
    EquatableArray<HeaderValue> Headers,
    Provenance? Provenance)
{
    /// <summary>
    /// The JSON names of the body's fields that carry an explanation (<c>fields: { message, parameter, code }</c>);
    /// the mock writes its explanation of a bad request into exactly these and nowhere else.
    /// </summary>
    public ErrorFieldsSpec? Fields { get; init; }
}

/// <summary>Which top-level fields of an error body carry the message, the offending parameter and a code (each optional).</summary>
public sealed record ErrorFieldsSpec(string? Message, string? Parameter, string? Code)
{
    /// <summary>
    /// The code the error's example <c>body</c> gives in <see cref="Code"/> (the vendor's code for this error); the mock
    /// writes it into <see cref="Code"/> unless the contract declares a more specific one for the failure (a filter's
    /// <c>semantics.errorCode</c>). Null when <see cref="Code"/> is null.
    /// </summary>
    public string? DocumentedCode { get; init; }

    /// <summary>
    /// The other top-level fields of the example body whose value is <see cref="DocumentedCode"/> (copies of the code,
    /// such as a link named by it), sorted: the mock writes the same code into them so that the body stays consistent.
    /// </summary>
    public EquatableArray<string> CodeCopies { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>A documented example payload.</summary>
public sealed record ExampleSpec(
    string Name,
    string? Summary,
    int Status,
    string? RequestPath,
    EquatableArray<ParameterValue> RequestQuery,
    string Body,
    Provenance? Provenance);

/// <summary>
/// A documented example request whose response the docs do not show (an example with a
/// <c>request</c> and no <c>body</c>): kept so that the contract holds every documented example.
/// </summary>
public sealed record ExampleRequestSpec(
    string Name,
    string? Summary,
    string? Path,
    EquatableArray<ParameterValue> Query,
    Provenance? Provenance);

/// <summary>An endpoint.</summary>
public sealed record EndpointSpec(
    string Name,
    string Method,
    string Path,
    string? Summary,
    string? Description,
    Provenance? Provenance,
    EquatableArray<string> Security,
    EquatableArray<ParameterSpec> Parameters,
    ResponseSpec Response,
    OrderSpec? Order,
    PaginationSpec? Pagination,
    SyncSpec? Sync,
    EquatableArray<ErrorSpec> Errors,
    EquatableArray<ExampleSpec> Examples,
    EquatableArray<ExampleRequestSpec> ExampleRequests)
{
    /// <summary>The parameter with this wire name, or null.</summary>
    public ParameterSpec? FindParameter(string wireName)
    {
        foreach (var parameter in Parameters)
        {
            if (parameter.WireName == wireName)
            {
                return parameter;
            }
        }

        return null;
    }
}

/// <summary>A demo credential of the mock server.</summary>
public sealed record MockCredentialSpec(string Scheme, string Value, CredentialAccess Access, string? Description);

/// <summary>How the mock invents ids.</summary>
public sealed record MockIdSpec(string Field, bool Uuid, long Start, long MaxStep);

/// <summary>How the mock spreads timestamps.</summary>
public sealed record MockTimeSpec(string Field, int Days);

/// <summary>One coherent set of field values the mock draws together.</summary>
public sealed record MockCombination(EquatableArray<ParameterValue> Values);

/// <summary>How often the mock draws one value of an enum (outside the combinations that list it).</summary>
public sealed record MockValueRate(string Value, double Rate);

/// <summary>
/// How the mock draws the values of one enum (<c>mock.enums.X</c>): the share of values the enum
/// does not list (<paramref name="UnknownRate"/>), and the rates of listed values that must not be
/// drawn as often as the others (a rate of 0: never).
/// </summary>
/// <param name="Enum">The enum's name.</param>
/// <param name="UnknownRate">Probability of a value the enum does not list. Default 0.</param>
/// <param name="Rates">Rates of single listed values, sorted by value.</param>
public sealed record MockEnumSpec(string Enum, double UnknownRate, EquatableArray<MockValueRate> Rates)
{
    /// <summary>The rate of a listed value, or null when the value draws its share of the rest.</summary>
    public double? RateOf(string value)
    {
        foreach (var rate in Rates)
        {
            if (rate.Value == value)
            {
                return rate.Rate;
            }
        }

        return null;
    }
}

/// <summary>How the mock server serves the API.</summary>
/// <param name="Prefix">The path prefix the mock mounts the API under.</param>
/// <param name="Credentials">Demo credentials.</param>
/// <param name="DatasetModel">The model of the stored items.</param>
/// <param name="Id">How ids increase.</param>
/// <param name="Time">How timestamps spread.</param>
/// <param name="Combinations">Coherent value sets.</param>
/// <param name="Rates">The dataset's rates of null and absent values (<c>mock.dataset.nullRate</c>, <c>absentRate</c>), if set.</param>
/// <param name="Enums">How the values of enums are drawn (<c>mock.enums</c>), sorted by enum name.</param>
public sealed record MockSpec(
    string Prefix,
    EquatableArray<MockCredentialSpec> Credentials,
    string? DatasetModel,
    MockIdSpec? Id,
    MockTimeSpec? Time,
    EquatableArray<MockCombination> Combinations,
    MockRatesSpec? Rates = null,
    EquatableArray<MockEnumSpec> Enums = default)
{
    /// <summary>The settings of an enum under <c>mock.enums</c>, or null.</summary>
    public MockEnumSpec? FindEnum(string name)
    {
        foreach (var e in Enums)
        {
            if (e.Enum == name)
            {
                return e;
            }
        }

        return null;
    }
}
