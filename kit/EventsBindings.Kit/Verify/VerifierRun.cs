using System.Diagnostics;
using System.Text.Json;
using EventsBindings.Kit.Verify.Checks;
using EventsBindings.Spec;
using EventsBindings.Spec.Model;
using static EventsBindings.Kit.Verify.VerifyHelpers;

namespace EventsBindings.Kit.Verify;

/// <summary>
/// One verification run: it samples the lists, then schedules each endpoint's checks (one type per check,
/// under Checks/), and holds what they share: the session (budget, pace, redaction), the samples, the drift
/// collectors and the results. A check records its result through <see cref="CheckAsync"/> or <see cref="Add"/>.
/// </summary>
internal sealed class VerifierRun : IDisposable
{
    public VerifierRun(ContractSpec contract, Uri baseUrl, string credential, VerifyOptions options, CancellationToken cancellationToken)
    {
        Contract = contract;
        BaseUrl = baseUrl;
        Options = options;
        CancellationToken = cancellationToken;
        Session = new VerifySession(contract, baseUrl, credential, options);
    }

    public ContractSpec Contract { get; }

    public Uri BaseUrl { get; }

    public VerifyOptions Options { get; }

    public CancellationToken CancellationToken { get; }

    public VerifySession Session { get; }

    public List<CheckResult> Results { get; } = new();

    /// <summary>The items of each list endpoint's default request, by endpoint name.</summary>
    public Dictionary<string, List<JsonElement>> Samples { get; } = new(StringComparer.Ordinal);

    /// <summary>When each sample was taken (the server's Date header, else the local clock).</summary>
    public Dictionary<string, DateTimeOffset> SampleTimes { get; } = new(StringComparer.Ordinal);

    /// <summary>What each endpoint's successful responses sent beyond the contract.</summary>
    public Dictionary<string, DriftCollector> Drift { get; } = new(StringComparer.Ordinal);

    public void Dispose() => Session.Dispose();

    public async Task<VerifyReport> RunAsync()
    {
        var watch = Stopwatch.StartNew();
        if (Session.Scheme is { Kind: AuthKind.RefreshToken } refresh)
        {
            await CheckAsync($"auth: {refresh.Name} exchange", async ctx =>
            {
                var (ok, reason, line) = await Session.ExchangeAsync(CancellationToken).ConfigureAwait(false);
                if (line is not null)
                {
                    ctx.Requests.Add(line);
                }

                return (ok ? CheckStatus.Pass : CheckStatus.Fail, reason);
            }).ConfigureAwait(false);
        }
        else if (Options.Scheme is not null && Session.Scheme is null)
        {
            Add("auth: scheme", CheckStatus.Fail, $"the contract has no auth scheme '{Options.Scheme}'", Array.Empty<string>(), TimeSpan.Zero);
        }

        var endpoints = new List<EndpointSpec>();
        foreach (var endpoint in Contract.Endpoints)
        {
            if (endpoint.Response.Kind == ResponseKind.Token)
            {
                Add($"{endpoint.Name}: not checked", CheckStatus.Skip, "a token exchange, checked when the credential is of its refreshToken scheme", Array.Empty<string>(), TimeSpan.Zero);
            }
            else if (endpoint.Security.Count > 0 && Session.Scheme is { } scheme && !Accepts(endpoint, scheme))
            {
                Add($"{endpoint.Name}: not checked", CheckStatus.Skip, $"the endpoint does not accept the scheme '{scheme.Name}'", Array.Empty<string>(), TimeSpan.Zero);
            }
            else
            {
                endpoints.Add(endpoint);
                Drift[endpoint.Name] = new DriftCollector(Contract);
            }
        }

        // Sample first: the lists without path parameters feed the filters, paths and ids of the rest.
        var sampled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Where(e => e.Response.Kind == ResponseKind.List && !HasPathParameters(e)))
        {
            await DefaultListCheck.RunAsync(this, endpoint, new Dictionary<string, string>()).ConfigureAwait(false);
            sampled.Add(endpoint.Name);
        }

        foreach (var endpoint in endpoints)
        {
            switch (endpoint.Response.Kind)
            {
                case ResponseKind.List:
                    await ListChecksAsync(endpoint, sampled.Contains(endpoint.Name)).ConfigureAwait(false);
                    break;
                case ResponseKind.Count:
                    await CountChecks.RunAsync(this, endpoint).ConfigureAwait(false);
                    break;
                case ResponseKind.Item:
                    await ItemChecks.RunAsync(this, endpoint).ConfigureAwait(false);
                    break;
            }

            await MissingCredentialCheck.RunAsync(this, endpoint).ConfigureAwait(false);
            DriftCheck.Run(this, endpoint);
        }

        return new VerifyReport(Contract.Name, Session.Redact(BaseUrl.ToString()), Results.ToList(), Session.Sent, watch.Elapsed);
    }

    // ---------------------------------------------------------------- scheduling

    private async Task ListChecksAsync(EndpointSpec endpoint, bool alreadySampled)
    {
        var pathValues = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!alreadySampled)
        {
            var resolved = ResolvePathValues(endpoint);
            if (resolved is null)
            {
                Add($"{endpoint.Name}: default request", CheckStatus.Skip, "no sampled item supplies its path parameters", Array.Empty<string>(), TimeSpan.Zero);
                return;
            }

            pathValues = resolved;
            await DefaultListCheck.RunAsync(this, endpoint, pathValues).ConfigureAwait(false);
        }
        else
        {
            pathValues = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (!Samples.TryGetValue(endpoint.Name, out var items))
        {
            return;
        }

        DefaultListCheck.PageSize(this, endpoint, items);
        await PagingCheck.RunAsync(this, endpoint, pathValues).ConfigureAwait(false);
        foreach (var parameter in endpoint.Parameters.Where(p => p.In != ParameterLocation.Path))
        {
            switch (parameter.Semantics.Kind)
            {
                case SemanticsKind.EqualTo or SemanticsKind.OneOf or SemanticsKind.AtLeast or SemanticsKind.GreaterThan or SemanticsKind.LessThan or SemanticsKind.CursorStart
                    when parameter.Semantics.Field is not null:
                    await FilterCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.RelativeWindow when parameter.Semantics.Field is not null:
                    await WindowCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.SortOrder:
                    await SortOrderCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.NewestN:
                    await NewestCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Offset:
                    await OffsetCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Scim:
                    await ExpressionFilterCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Keywords:
                    await KeywordsCheck.RunAsync(this, endpoint, pathValues, parameter).ConfigureAwait(false);
                    break;
                case SemanticsKind.Opaque:
                    // The contract does not say what the parameter does, so there is nothing to check it against.
                    Add($"{endpoint.Name}: {parameter.WireName}", CheckStatus.Skip, "not executed: the contract declares its semantics opaque", Array.Empty<string>(), TimeSpan.Zero);
                    break;
            }
        }

        await BoundsCheck.RunAsync(this, endpoint, pathValues).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- what the checks share

    /// <summary>Runs one check's body and records its result: a spent budget is a skip, a transport or internal error a failure, never an escape.</summary>
    public async Task CheckAsync(string name, Func<CheckContext, Task<(CheckStatus Status, string Reason)>> body)
    {
        var watch = Stopwatch.StartNew();
        var ctx = new CheckContext(this);
        CheckStatus status;
        string reason;
        try
        {
            (status, reason) = await body(ctx).ConfigureAwait(false);
        }
        catch (BudgetExhaustedException ex)
        {
            (status, reason) = (CheckStatus.Skip, ex.Message + " (raise --max-requests)");
        }
        catch (HttpRequestException ex)
        {
            (status, reason) = (CheckStatus.Fail, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !CancellationToken.IsCancellationRequested)
        {
            (status, reason) = (CheckStatus.Fail, $"internal error of the check ({ex.GetType().Name}: {ex.Message})");
        }

        Add(name, status, reason, ctx.Requests, watch.Elapsed);
    }

    /// <summary>Records a result, its reason and requests redacted of the credential.</summary>
    public void Add(string name, CheckStatus status, string reason, IReadOnlyList<string> requests, TimeSpan duration) =>
        Results.Add(new CheckResult(name, status, Session.Redact(reason), requests.Select(Session.Redact).ToList(), duration));

    /// <summary>A pass when the error response's body is the contract's declared body for its status, else a failure naming the mismatch.</summary>
    public (CheckStatus, string) ErrorBody(EndpointSpec endpoint, VerifyResponse response, string passReason)
    {
        var error = Contract.ErrorsFor(endpoint).FirstOrDefault(e => e.Status == response.Code);
        if (error is null)
        {
            return (CheckStatus.Pass, passReason + " (no body declared for it)");
        }

        var problems = JsonConformance.CheckError(Contract, error, response.Body).Where(p => p.Severity == Spec.Diagnostics.SpecSeverity.Error).ToList();
        return problems.Count == 0
            ? (CheckStatus.Pass, passReason + (error.Model is null ? string.Empty : $", body is a {error.Model}"))
            : (CheckStatus.Fail, $"{response.Code} as expected, but its body does not match {error.Model ?? "JSON"}: {problems[0].Message}");
    }

    public Dictionary<string, string>? ResolvePathValues(EndpointSpec endpoint) =>
        HasPathParameters(endpoint) ? ResolvePathValuesWithItem(endpoint)?.Values : new Dictionary<string, string>(StringComparer.Ordinal);

    public (Dictionary<string, string> Values, JsonElement Item)? ResolvePathValuesWithItem(EndpointSpec endpoint)
    {
        var pathParameters = endpoint.Parameters.Where(p => p.In == ParameterLocation.Path).ToList();
        if (pathParameters.Any(p => p.Semantics.Kind != SemanticsKind.EqualTo || p.Semantics.Field is null))
        {
            return null;
        }

        var modelName = endpoint.Response.Model;
        foreach (var source in Contract.Endpoints.Where(e => e.Response.Kind == ResponseKind.List && e.Response.Model == modelName && !HasPathParameters(e)))
        {
            if (!Samples.TryGetValue(source.Name, out var items))
            {
                continue;
            }

            foreach (var item in items)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var parameter in pathParameters)
                {
                    if (ItemValues.At(item, parameter.Semantics.Field!) is { } v && ItemValues.Text(v) is { Length: > 0 } text && !text.Contains('/', StringComparison.Ordinal))
                    {
                        values[parameter.WireName] = text;
                    }
                }

                if (values.Count == pathParameters.Count)
                {
                    return (values, item);
                }
            }
        }

        return null;
    }

    public List<JsonElement> Items(EndpointSpec endpoint, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (endpoint.Response.Envelope is { } envelope)
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(envelope, out root))
                {
                    return new List<JsonElement>();
                }
            }

            return root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select(e => e.Clone()).ToList(),
                JsonValueKind.Object => new List<JsonElement> { root.Clone() },
                _ => new List<JsonElement>(),
            };
        }
        catch (JsonException)
        {
            return new List<JsonElement>();
        }
    }

    public ModelSpec? ResponseModel(EndpointSpec endpoint) => endpoint.Response.Model is { } name ? Contract.FindModel(name) : null;

    public FieldSpec? Field(ModelSpec model, string path) => ItemValues.Field(Contract, model, path);

    /// <summary>True when the endpoint accepts the scheme; a refreshToken scheme's access token travels as bearer.</summary>

    public bool Accepts(EndpointSpec endpoint, AuthSchemeSpec scheme) =>
        endpoint.Security.Contains(scheme.Name)
        || (scheme.Kind == AuthKind.RefreshToken && endpoint.Security.Any(name => Contract.FindScheme(name) is { Kind: AuthKind.Bearer }));

    public string? IdentityField(EndpointSpec endpoint) =>
        endpoint.Sync?.DedupBy
        ?? (endpoint.Pagination is { Strategy: PaginationStrategy.Cursor } p ? p.CursorField : null)
        ?? (Contract.Mock?.Id is { } id && ResponseModel(endpoint)?.FindField(id.Field) is not null ? id.Field : null);
}
