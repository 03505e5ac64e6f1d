using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EventsBindings.Spec.Model;

namespace EventsBindings.Kit.Verify;

/// <summary>The request budget is spent: the check is skipped.</summary>
internal sealed class BudgetExhaustedException : Exception
{
    public BudgetExhaustedException(int budget)
        : base($"request budget of {budget} exhausted")
    {
    }
}

/// <summary>A response: status, body, the request line that produced it (without secrets), and the server's <c>Date</c>.</summary>
internal sealed record VerifyResponse(HttpStatusCode Status, string Body, string RequestLine, DateTimeOffset? Date = null)
{
    public int Code => (int)Status;

    /// <summary>The response's headers (names case-insensitive); empty when none were kept.</summary>
    public IReadOnlyDictionary<string, string[]> Headers { get; init; } = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Sends the verifier's requests: places parameters as the contract says, authenticates with the
/// run's scheme, counts against the budget, paces, and keeps every secret out of the evidence.
/// </summary>
internal sealed class VerifySession : IDisposable
{
    private const int MaxBody = 4 * 1024 * 1024;
    private readonly ContractSpec _contract;
    private readonly string _baseUrl;
    private readonly VerifyOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly List<string> _secrets = new();
    private DateTime _last = DateTime.MinValue;

    public VerifySession(ContractSpec contract, Uri baseUrl, string credential, VerifyOptions options)
    {
        _contract = contract;
        _baseUrl = baseUrl.ToString().TrimEnd('/');
        _options = options;
        Credential = credential;
        AddSecret(credential);
        if (options.HttpClient is { } http)
        {
            _http = http;
        }
        else
        {
            _http = new HttpClient { Timeout = options.RequestTimeout };
            _ownsHttp = true;
        }

        var name = options.Scheme ?? (contract.Security.Count > 0 ? contract.Security[0] : null);
        Scheme = name is null ? null : contract.FindScheme(name);
    }

    /// <summary>The scheme the credential is sent with (null: none declared).</summary>
    public AuthSchemeSpec? Scheme { get; }

    /// <summary>The credential (after a refresh-token exchange, the access token).</summary>
    public string Credential { get; private set; }

    public int Sent { get; private set; }

    public int Budget => _options.MaxRequests;

    public int Remaining => Math.Max(0, _options.MaxRequests - Sent);

    /// <summary>Replaces every secret in a text with ***.</summary>
    public string Redact(string text)
    {
        foreach (var secret in _secrets)
        {
            if (secret.Length >= 3)
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>For a refreshToken scheme, exchanges the refresh token for an access token.</summary>
    public async Task<(bool Ok, string Reason, string? RequestLine)> ExchangeAsync(CancellationToken cancellationToken)
    {
        if (Scheme is not { Kind: AuthKind.RefreshToken } scheme)
        {
            return (true, "no exchange needed", null);
        }

        var endpoint = scheme.ExchangeEndpoint is null ? null : _contract.FindEndpoint(scheme.ExchangeEndpoint);
        if (endpoint is null || scheme.TokenField is null)
        {
            return (false, $"the scheme '{scheme.Name}' names no usable exchange endpoint", null);
        }

        var headers = new List<(string, string)> { ("Authorization", "Bearer " + Credential) };
        var response = await SendRawAsync(endpoint.Method, endpoint.Path, Array.Empty<(string, string)>(), headers, cancellationToken).ConfigureAwait(false);
        if (response.Code != 200)
        {
            return (false, $"the exchange answered {response.Code}, expected 200", response.RequestLine);
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            if (endpoint.Response.Envelope is { } envelope && root.ValueKind == JsonValueKind.Object && root.TryGetProperty(envelope, out var inner))
            {
                root = inner;
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty(scheme.TokenField, out var token) && token.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(token.GetString()))
            {
                Credential = token.GetString()!;
                AddSecret(Credential);
                return (true, $"exchanged the refresh token for an access token ('{scheme.TokenField}')", response.RequestLine);
            }
        }
        catch (JsonException)
        {
        }

        return (false, $"the exchange's response has no string '{scheme.TokenField}'", response.RequestLine);
    }

    /// <summary>Sends a request to an endpoint with parameters placed per the contract.</summary>
    public Task<VerifyResponse> SendAsync(
        EndpointSpec endpoint,
        IReadOnlyDictionary<string, string> pathValues,
        IReadOnlyList<(string Name, string Value)> parameters,
        bool authenticate,
        CancellationToken cancellationToken,
        Uri? link = null)
    {
        var path = endpoint.Path;
        foreach (var (name, value) in pathValues)
        {
            path = path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        if (link is not null)
        {
            // A next link the server named: followed only on the base URL's origin (it would carry the credential).
            var root = new Uri(_baseUrl + "/");
            if (!string.Equals(link.Scheme, root.Scheme, StringComparison.OrdinalIgnoreCase) || !string.Equals(link.IdnHost, root.IdnHost, StringComparison.OrdinalIgnoreCase) || link.Port != root.Port)
            {
                throw new HttpRequestException($"the next link points to another origin ({link.Scheme}://{link.IdnHost}:{link.Port.ToString(CultureInfo.InvariantCulture)}) than the base URL; not followed");
            }

            var basePath = root.AbsolutePath.TrimEnd('/');
            path = link.PathAndQuery.StartsWith(basePath, StringComparison.Ordinal) ? link.PathAndQuery[basePath.Length..] : link.PathAndQuery;
        }

        var query = new List<(string, string)>();
        var headers = new List<(string, string)>();
        foreach (var (name, value) in parameters)
        {
            if (endpoint.FindParameter(name) is { In: ParameterLocation.Header })
            {
                headers.Add((name, value));
            }
            else
            {
                query.Add((name, value));
            }
        }

        if (authenticate && Scheme is { } scheme)
        {
            switch (scheme.Kind)
            {
                case AuthKind.ApiKey:
                    if (scheme.Header is { } header)
                    {
                        headers.Add((header, Credential));
                    }

                    break;
                case AuthKind.Basic:
                    var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("verify:" + Credential));
                    AddSecret(basic);
                    headers.Add(("Authorization", "Basic " + basic));
                    break;
                case AuthKind.Authorization:
                    headers.Add(("Authorization", scheme.AuthorizationScheme + " " + Credential));
                    break;
                default:
                    headers.Add(("Authorization", "Bearer " + Credential));
                    break;
            }
        }

        return SendRawAsync(endpoint.Method, path, query, headers, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>
    /// Sends one request. A 429 is waited out once: after its <c>Retry-After</c> (or one second when it
    /// gives none), when that is within <see cref="VerifyOptions.MaxRetryAfter"/> and the budget has a
    /// request left; the request line records the wait. Otherwise the 429 is the answer.
    /// </summary>
    private async Task<VerifyResponse> SendRawAsync(string method, string path, IReadOnlyList<(string, string)> query, IReadOnlyList<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(method, path, query, headers, cancellationToken).ConfigureAwait(false);
        if (response.Response.Status != HttpStatusCode.TooManyRequests)
        {
            return response.Response;
        }

        var wait = response.RetryAfter ?? TimeSpan.FromSeconds(1);
        var waitText = $"{wait.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
        if (wait > _options.MaxRetryAfter)
        {
            return response.Response with { RequestLine = $"{response.Response.RequestLine} (Retry-After {waitText} exceeds the bound of {_options.MaxRetryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: not retried)" };
        }

        if (Sent >= _options.MaxRequests)
        {
            return response.Response with { RequestLine = $"{response.Response.RequestLine} (no request left in the budget to retry)" };
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        Throttled++;
        var retried = await SendOnceAsync(method, path, query, headers, cancellationToken).ConfigureAwait(false);
        return retried.Response with { RequestLine = $"{response.Response.RequestLine}, waited {waitText} (Retry-After), retried → {retried.Response.Code}" };
    }

    /// <summary>Responses of 429 that were waited out and retried.</summary>
    public int Throttled { get; private set; }

    private async Task<(VerifyResponse Response, TimeSpan? RetryAfter)> SendOnceAsync(string method, string path, IReadOnlyList<(string, string)> query, IReadOnlyList<(string Name, string Value)> headers, CancellationToken cancellationToken)
    {
        if (Sent >= _options.MaxRequests)
        {
            throw new BudgetExhaustedException(_options.MaxRequests);
        }

        if (_options.Pace > TimeSpan.Zero && _last != DateTime.MinValue)
        {
            var wait = _options.Pace - (DateTime.UtcNow - _last);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }

        var queryText = string.Join("&", query.Select(q => Uri.EscapeDataString(q.Item1) + "=" + Uri.EscapeDataString(q.Item2)));
        var target = path + (queryText.Length > 0 ? "?" + queryText : string.Empty);
        var line = Redact($"{method} {Uri.UnescapeDataString(target)}");
        using var request = new HttpRequestMessage(new HttpMethod(method), _baseUrl + target);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        Sent++;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            var date = response.Headers.Date;
            TimeSpan? retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } at } => at - (date ?? DateTimeOffset.UtcNow),
                _ => null,
            };
            var kept = response.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
            return (new VerifyResponse(response.StatusCode, body, $"{line} → {(int)response.StatusCode}", date) { Headers = kept }, retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"{line} timed out after {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException ex)
        {
            throw new HttpRequestException($"{line} failed: {Redact(ex.Message)}");
        }
        finally
        {
            _last = DateTime.UtcNow;
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > MaxBody)
            {
                break;
            }
        }

        return Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }

    private void AddSecret(string secret)
    {
        if (!string.IsNullOrEmpty(secret) && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }
}
