using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EventsBindings.Runtime.Diagnostics;
using EventsBindings.Runtime.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EventsBindings.Runtime;

/// <summary>
/// The HTTP pipeline under a generated client: authentication (credential read per request, refresh-token
/// exchange with a cached access token refreshed once on 401), retries of idempotent requests on 408, 429,
/// 5xx and transient I/O errors (exponential backoff with jitter, Retry-After honoured up to a bound) and of
/// the others (the token exchange included) only when no connection could be made,
/// per-attempt timeout and overall deadline, logs, traces and metrics, and the mapping of failures to the
/// <see cref="EventsRequestException"/> family. The unit retried is one request including reading and
/// parsing its body, so a failed page is retried alone.
/// </summary>
public sealed class EventsPipeline
{
    private static readonly ResiliencePropertyKey<CallInfo> CallKey = new("EventsBindings.Call");
    private static readonly string DefaultUserAgent = "EventsBindings.Runtime/" + (typeof(EventsPipeline).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly Uri _baseUri;
    private readonly EventsCredential _credential;
    private readonly ApiDescriptor _api;
    private readonly AuthSchemeDescriptor _scheme;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly EventsRetryOptions _retry;
    private readonly TimeSpan? _attemptTimeout;
    private readonly TimeSpan? _overallTimeout;
    private readonly int _maxExcerpt;
    private readonly string _userAgent;
    private readonly ResiliencePipeline _retrying;
    private readonly ResiliencePipeline _unsentOnly;
    private readonly TokenCache _tokens = new();
    private readonly BodyBuffers _buffers = new();
    private readonly JsonStrictness _strictness;
    private readonly DriftReporter _drift;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="httpClient">The HTTP client; its lifetime stays with the caller.</param>
    /// <param name="baseUri">The API's base URL; request paths are appended to it.</param>
    /// <param name="credential">The credential, read per request.</param>
    /// <param name="api">What the contract says about the API.</param>
    /// <param name="options">Retry, timeout, logging and auth options (read once, here).</param>
    /// <exception cref="ArgumentException">No auth scheme of the API fits the credential, or an option is out of range.</exception>
    public EventsPipeline(HttpClient httpClient, Uri baseUri, EventsCredential credential, ApiDescriptor api, EventsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        if (!baseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URL must be absolute.", nameof(baseUri));
        }

        _http = httpClient;
        _baseUri = baseUri;
        _base = baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _credential = credential;
        _api = api;
        _scheme = SelectScheme(api, credential, options.AuthScheme);
        _logger = options.LoggerFactory?.CreateLogger("EventsBindings.Runtime.EventsPipeline") ?? NullLogger.Instance;
        _time = options.TimeProvider ?? TimeProvider.System;
        var retry = options.Retry ?? new EventsRetryOptions();
        _retry = new EventsRetryOptions
        {
            MaxRetries = retry.MaxRetries,
            BaseDelay = retry.BaseDelay,
            MaxDelay = retry.MaxDelay,
            MaxRetryAfter = retry.MaxRetryAfter,
            UseJitter = retry.UseJitter,
        };
        _attemptTimeout = options.AttemptTimeout;
        _overallTimeout = options.OverallTimeout;
        _maxExcerpt = Math.Max(0, options.MaxErrorBodyExcerpt);
        _userAgent = string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent : options.UserAgent + " " + DefaultUserAgent;
        _strictness = options.Strictness;
        _drift = new DriftReporter(api.Name, _logger, options.OnRejectedItem);
        Validate();
        _retrying = Build(idempotent: true);
        _unsentOnly = Build(idempotent: false);
    }

    /// <summary>The API this pipeline calls.</summary>
    public ApiDescriptor Api => _api;

    /// <summary>The base URL.</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>The auth scheme in use.</summary>
    public AuthSchemeDescriptor AuthScheme => _scheme;

    /// <summary>
    /// Sends a request: authenticates it, retries it when it is idempotent and fails transiently, parses the
    /// body of a successful answer and maps failures to the <see cref="EventsRequestException"/> family.
    /// </summary>
    /// <typeparam name="T">The parsed result.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="parse">Parses the whole body of a 2xx answer.</param>
    /// <param name="cancellationToken">Cancels the call (an <see cref="OperationCanceledException"/> then propagates).</param>
    /// <returns>The parsed result.</returns>
    /// <exception cref="EventsRequestException">The call failed; the subclass says why.</exception>
    public Task<T> SendAsync<T>(EventsRequest request, ResponseParser<T> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        return SendCoreAsync(request, parse, exchange: null, cancellationToken);
    }

    private static AuthSchemeDescriptor SelectScheme(ApiDescriptor api, EventsCredential credential, string? name)
    {
        static bool Fits(AuthSchemeDescriptor s, EventsCredential c) => c.IsRefreshToken == (s.Kind == AuthSchemeKind.RefreshToken);

        if (name is not null)
        {
            var scheme = api.FindScheme(name)
                ?? throw new ArgumentException($"The API {api.Name} has no auth scheme '{name}'; it has: {string.Join(", ", api.Schemes.Select(s => s.Name))}.", nameof(name));
            if (!Fits(scheme, credential))
            {
                throw new ArgumentException($"The auth scheme '{scheme.Name}' ({scheme.Kind}) does not take a {credential.GetType().Name}.", nameof(credential));
            }

            return Checked(scheme);
        }

        foreach (var s in api.Schemes)
        {
            if (Fits(s, credential))
            {
                return Checked(s);
            }
        }

        throw new ArgumentException($"No auth scheme of the API {api.Name} takes a {credential.GetType().Name}; it has: {string.Join(", ", api.Schemes.Select(s => s.Name + " (" + s.Kind + ")"))}.", nameof(credential));

        static AuthSchemeDescriptor Checked(AuthSchemeDescriptor s)
        {
            if (s.Kind == AuthSchemeKind.ApiKey && string.IsNullOrEmpty(s.HeaderName))
            {
                throw new ArgumentException($"The apiKey scheme '{s.Name}' names no header.");
            }

            if (s.Kind == AuthSchemeKind.Authorization && (string.IsNullOrEmpty(s.AuthorizationScheme) || s.AuthorizationScheme.Any(c => c <= ' ' || c >= (char)127 || "()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))))
            {
                throw new ArgumentException($"The authorization scheme '{s.Name}' needs a scheme name that is an HTTP token.");
            }

            if (s.Kind == AuthSchemeKind.RefreshToken && (string.IsNullOrEmpty(s.ExchangePath) || string.IsNullOrEmpty(s.TokenField)))
            {
                throw new ArgumentException($"The refreshToken scheme '{s.Name}' needs an exchange path and a token field.");
            }

            return s;
        }
    }

    private void Validate()
    {
        static void Range(TimeSpan? value, string name)
        {
            if (value is { } v && (v < TimeSpan.FromMilliseconds(10) || v > TimeSpan.FromDays(1)))
            {
                throw new ArgumentOutOfRangeException(name, v, "A timeout must lie between 10 ms and 1 day (or be null for none).");
            }
        }

        Range(_attemptTimeout, nameof(EventsClientOptions.AttemptTimeout));
        Range(_overallTimeout, nameof(EventsClientOptions.OverallTimeout));
        if (_retry.MaxRetries < 0 || _retry.BaseDelay < TimeSpan.Zero || _retry.MaxDelay < TimeSpan.Zero || _retry.MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EventsClientOptions.Retry), "Retry counts and delays cannot be negative.");
        }
    }

    /// <summary>
    /// The resilience pipeline of idempotent requests (every transient failure is retried) or of the others
    /// (only a connection that could not be established is retried: nothing was sent, so nothing can have
    /// happened twice).
    /// </summary>
    private ResiliencePipeline Build(bool idempotent)
    {
        var retry = _retry.MaxRetries > 0;
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time, Name = "EventsBindings." + _api.Name };
        if (_overallTimeout is { } overall)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = overall, Name = "overall" });
        }

        if (retry)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = _retry.MaxRetries,
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.Zero,
                MaxDelay = null,
                UseJitter = false,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Exception, args.Context, idempotent)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDelay(args.Outcome.Exception, args.AttemptNumber)),
                OnRetry = args =>
                {
                    OnRetry(args.Context, args.Outcome.Exception, args.AttemptNumber, args.RetryDelay);
                    return default;
                },
            });
        }

        if (_attemptTimeout is { } attempt)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = attempt, Name = "attempt" });
        }

        return builder.Build();
    }

    private bool ShouldRetry(Exception? ex, ResilienceContext context, bool idempotent)
    {
        if (ex is null || context.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // A failure of the token exchange inside this call is final: the exchange (a POST) already had its
        // own, narrower retries, and repeating this attempt would send it again.
        if (context.Properties.TryGetValue(CallKey, out var call) && call.ExchangeFailed)
        {
            return false;
        }

        if (!idempotent)
        {
            return NothingWasSent(ex);
        }

        return ex switch
        {
            EventsThrottledException t => t.RetryAfter is not { } ra || ra <= _retry.MaxRetryAfter,
            EventsResponseFormatException => false,
            EventsRequestException e => e.Status is 408 or 429 or >= 500 && (e.RetryAfterHint is not { } hint || hint <= _retry.MaxRetryAfter),
            TimeoutRejectedException => true,
            HttpRequestException => true,
            IOException => true,
            OperationCanceledException => true, // HttpClient.Timeout: the caller's token is not cancelled
            _ => false,
        };
    }

    /// <summary>Whether the request failed before any of it reached the server (no connection, no name).</summary>
    private static bool NothingWasSent(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private TimeSpan RetryDelay(Exception? ex, int attemptNumber)
    {
        if (ex is EventsRequestException { RetryAfterHint: { } hint })
        {
            return hint < TimeSpan.Zero ? TimeSpan.Zero : hint;
        }

        var exponential = _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30));
        var capped = Math.Min(exponential, _retry.MaxDelay.TotalMilliseconds);
        if (_retry.UseJitter)
        {
            // Half fixed, half random: spreads clients apart without ever retrying immediately.
            capped = (capped / 2) + (Random.Shared.NextDouble() * capped / 2);
        }

        return TimeSpan.FromMilliseconds(capped);
    }

    private void OnRetry(ResilienceContext context, Exception? ex, int attemptNumber, TimeSpan delay)
    {
        if (!context.Properties.TryGetValue(CallKey, out var call))
        {
            return;
        }

        var reason = Reason(ex);
        Log.Retry(_logger, _api.Name, call.Method, call.LogPath, reason, attemptNumber + 1, _retry.MaxRetries, delay.TotalMilliseconds);
        EventsTelemetry.Retries.Add(1, new TagList
        {
            { "api", _api.Name },
            { "operation", call.Operation },
            { "http.request.method", call.Method },
            { "reason", reason },
        });
    }

    private static string Reason(Exception? ex) => ex switch
    {
        EventsRequestException e when e.Status > 0 => e.Status.ToString(CultureInfo.InvariantCulture),
        TimeoutRejectedException => "attempt timeout",
        OperationCanceledException => "timeout",
        null => "unknown",
        _ => ex.GetType().Name,
    };

    /// <summary>
    /// Sends a request of a next-link endpoint and returns its items with the next link the response names: the
    /// entry of <paramref name="next"/>'s header with its relation (RFC 8288), or its body field. A request that
    /// follows a link (<see cref="EventsRequest.FollowLink"/>) is sent only to the base URL's origin.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="parse">Reads the items from the body.</param>
    /// <param name="next">Where the response names the next page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="EventsResponseFormatException">The link header is malformed (the message says where), or the body does not match.</exception>
    /// <exception cref="Paging.EventsPagingException">The request follows a link to another origin than the base URL.</exception>
    public async Task<Paging.LinkedPage<T>> SendPageAsync<T>(EventsRequest request, ResponseParser<IReadOnlyList<T>> parse, Paging.NextLinkLocation next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(next);
        var capture = new PageCapture(next.HeaderName);
        ResponseParser<IReadOnlyList<T>> read = next.FieldPath is { } field
            ? body =>
            {
                var items = parse(body);
                capture.Next = JsonPayload.ReadStringAt(body, field);
                return items;
            }
            : parse;
        var list = await SendCoreAsync(request, read, null, cancellationToken, capture).ConfigureAwait(false);
        if (next.HeaderName is { } header)
        {
            try
            {
                capture.Next = Paging.LinkHeader.FindTarget(capture.HeaderValues, next.Rel!);
            }
            catch (Paging.LinkHeaderFormatException ex)
            {
                var message = $"{request.Method.Method} {capture.DisplayPath} answered {capture.Status.ToString(CultureInfo.InvariantCulture)} with a {header} header that does not match RFC 8288: {ex.Message}";
                Log.RequestFailed(_logger, _api.Name, request.Method.Method, capture.LogPath, "malformed link header");
                throw new EventsResponseFormatException(message, capture.Status, null, request.Method.Method, capture.DisplayPath, null, header, ex);
            }
        }

        return new Paging.LinkedPage<T>(list, capture.Next, capture.RequestUri!);
    }

    private async Task<T> SendCoreAsync<T>(EventsRequest request, ResponseParser<T> parse, string? exchange, CancellationToken cancellationToken, PageCapture? capture = null)
    {
        Uri uri;
        if (request.Link is { } link)
        {
            // Defence in depth: whatever built the request, a next link never takes the credentials elsewhere.
            Paging.NextLinks.CheckOrigin(link, _baseUri);
            uri = link;
        }
        else
        {
            uri = new Uri(_base + request.RelativeUrl(), UriKind.Absolute);
        }

        var call = new CallInfo(request, uri, exchange, this) { Capture = capture };
        if (capture is not null)
        {
            capture.RequestUri = uri;
        }
        var isIdempotent = exchange is null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options);
        var pipeline = isIdempotent ? _retrying : _unsentOnly;

        using var activity = EventsTelemetry.ActivitySource.StartActivity(request.Method.Method + " " + request.PathTemplate, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.template", request.PathTemplate);
            activity.SetTag("server.address", uri.Host);
            activity.SetTag("server.port", uri.Port);
            activity.SetTag("eventsbindings.api", _api.Name);
            activity.SetTag("eventsbindings.operation", request.OperationName);
        }

        var started = _time.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(request.OperationName, cancellationToken);
        context.Properties.Set(CallKey, call);
        string? errorType = null;
        try
        {
            return await pipeline.ExecuteAsync(
                static (ctx, state) => state.Call.Owner.AttemptAsync(state.Call, state.Parse, ctx.CancellationToken),
                context,
                (Call: call, Parse: parse)).ConfigureAwait(false);
        }
        catch (EventsRequestException ex)
        {
            errorType = ex.Status > 0 ? ex.Status.ToString(CultureInfo.InvariantCulture) : ex.GetType().Name;
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            errorType = "timeout";
            var which = _attemptTimeout == ex.Timeout && _overallTimeout != ex.Timeout
                ? string.Create(CultureInfo.InvariantCulture, $"within the attempt timeout of {ex.Timeout.TotalSeconds:0.###} s")
                : string.Create(CultureInfo.InvariantCulture, $"within the overall deadline of {ex.Timeout.TotalSeconds:0.###} s");
            var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} got no answer {which} ({Attempts(call)}).");
            Log.RequestFailed(_logger, _api.Name, call.Method, call.LogPath, "timeout");
            throw new EventsTimeoutException(message, call.Method, call.DisplayPath, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            errorType = "timeout";
            var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} timed out ({Attempts(call)}).");
            Log.RequestFailed(_logger, _api.Name, call.Method, call.LogPath, "timeout");
            throw new EventsTimeoutException(message, call.Method, call.DisplayPath, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            errorType = ex.GetType().Name;
            var detail = call.Scrubber.Scrub(Innermost(ex).Message);
            var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} could not reach {uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)} or the connection broke: {detail} ({Attempts(call)}).");
            Log.RequestFailed(_logger, _api.Name, call.Method, call.LogPath, ex.GetType().Name);
            throw new EventsConnectionException(message, call.Method, call.DisplayPath, null);
        }
        catch (OperationCanceledException)
        {
            errorType = "cancelled";
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            var elapsed = _time.GetElapsedTime(started);
            var tags = new TagList
            {
                { "api", _api.Name },
                { "operation", request.OperationName },
                { "http.request.method", request.Method.Method },
            };
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            EventsTelemetry.Duration.Record(elapsed.TotalSeconds, tags);
            if (activity is not null)
            {
                // Set last, once every secret of the call is known to the scrubber.
                activity.SetTag("url.full", call.UrlFull);
                if (call.LastStatus > 0)
                {
                    activity.SetTag("http.response.status_code", call.LastStatus);
                }

                if (call.Attempts > 1)
                {
                    activity.SetTag("http.request.resend_count", call.Attempts - 1);
                }

                if (errorType is not null)
                {
                    activity.SetTag("error.type", errorType);
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        }
    }

    private static string Attempts(CallInfo call) =>
        call.Attempts == 1 ? "1 attempt" : call.Attempts.ToString(CultureInfo.InvariantCulture) + " attempts";

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private async ValueTask<T> AttemptAsync<T>(CallInfo call, ResponseParser<T> parse, CancellationToken token)
    {
        call.Attempts++;
        while (true)
        {
            using var message = new HttpRequestMessage(call.Request.Method, call.Uri);
            var accessToken = await AuthorizeAsync(call, message, token).ConfigureAwait(false);
            foreach (var (name, value) in call.Request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_http.DefaultRequestHeaders.UserAgent.Count == 0)
            {
                message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            }

            var started = _time.GetTimestamp();
            int status;
            PooledBody body;
            TimeSpan? retryAfter;
            try
            {
                using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                body = await PooledBody.ReadAsync(response.Content, _buffers, token).ConfigureAwait(false);
                if (call.Capture is { } capture)
                {
                    capture.Status = status;
                    capture.DisplayPath = call.DisplayPath;
                    capture.LogPath = call.LogPath;
                    capture.HeaderValues = capture.HeaderName is { } h && response.Headers.TryGetValues(h, out var values) ? values.ToArray() : null;
                }
                retryAfter = RetryAfterOf(response.Headers.RetryAfter);
                if (retryAfter is null && (int)response.StatusCode is 429 or 503 && _api.RateLimit is { } rateLimit)
                {
                    retryAfter = RateLimitResetOf(response.Headers, rateLimit);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !token.IsCancellationRequested))
            {
                CountRequest(call, 0, ex.GetType().Name);
                Log.RequestFailed(_logger, _api.Name, call.Method, call.LogPath, ex.GetType().Name);
                throw;
            }

            try
            {
                call.LastStatus = status;
                CountRequest(call, status, null);
                Log.Request(_logger, _api.Name, call.Method, call.LogPath, status, _time.GetElapsedTime(started).TotalMilliseconds, call.Attempts);

                if (status == 401 && accessToken is not null && !call.Refreshed)
                {
                    // The cached access token expired or was revoked: exchange the refresh token once more.
                    call.Refreshed = true;
                    _tokens.Invalidate(accessToken);
                    Log.TokenRejected(_logger, _api.Name, call.Method, call.LogPath);
                    continue;
                }

                if (status is >= 200 and < 300)
                {
                    return Parse(call, parse, status, body);
                }

                if (status == 429)
                {
                    Log.Throttled(_logger, _api.Name, call.Method, call.LogPath, retryAfter?.TotalMilliseconds);
                }

                var excerpt = Excerpt(call, body);
                var meaning = call.Request.MeaningOf(_api, status);
                var error = EventsRequestException.ForStatus(status, meaning, excerpt, call.Method, call.DisplayPath, retryAfter);
                error.RetryAfterHint = retryAfter;
                throw error;
            }
            finally
            {
                body.Return();
            }
        }
    }

    private T Parse<T>(CallInfo call, ResponseParser<T> parse, int status, PooledBody body)
    {
        T result;
        using var scope = JsonReadScope.Begin(_strictness, call.Method + " " + call.DisplayPath);
        try
        {
            result = parse(body.Span);
            _drift.Report(call.Operation, scope.Drift, JsonReadReport.RejectedOf(result));
        }
        catch (Exception ex) when (ex is JsonPayloadException or JsonException or FormatException or InvalidOperationException)
        {
            var (problem, path, field) = ex is JsonPayloadException p ? (p.Problem, p.Path, p.Field) : ("The body is not valid JSON", (string?)null, (string?)null);
            var excerpt = Excerpt(call, body);
            var where = path is null ? string.Empty : " at " + path + (field is null ? string.Empty : " (" + field + ")");
            var message = call.Scrubber.Scrub($"{call.Method} {call.DisplayPath} answered {status.ToString(CultureInfo.InvariantCulture)} with a body that does not match the contract{where}: {problem}." + (excerpt is null ? string.Empty : " Body: " + excerpt));
            Log.RequestFailed(_logger, _api.Name, call.Method, call.LogPath, "malformed response");
            throw new EventsResponseFormatException(message, status, excerpt, call.Method, call.DisplayPath, path, field, ex is JsonPayloadException ? ex : null);
        }

        if (result is System.Collections.ICollection collection)
        {
            Log.Page(_logger, _api.Name, call.Operation, collection.Count);
            EventsTelemetry.Events.Add(collection.Count, new TagList { { "api", _api.Name }, { "operation", call.Operation } });
        }

        return result;
    }

    /// <summary>
    /// A scrubbed excerpt of a body for an exception; never of a token exchange's answer, which may hold an
    /// access token the scrubber does not know yet (a body that does not match the contract's token field).
    /// </summary>
    private string? Excerpt(CallInfo call, PooledBody body) =>
        call.ExchangeSecret is null ? call.Scrubber.Excerpt(body.Span, _maxExcerpt) : null;

    private void CountRequest(CallInfo call, int status, string? errorType)
    {
        var tags = new TagList
        {
            { "api", _api.Name },
            { "operation", call.Operation },
            { "http.request.method", call.Method },
        };
        if (status > 0)
        {
            tags.Add("http.response.status_code", status);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        EventsTelemetry.Requests.Add(1, tags);
    }

    /// <summary>
    /// The wait until the API's declared rate-limit window resets (its reset header: an epoch second, or seconds
    /// from now), or null when the header is absent or not a number.
    /// </summary>
    private TimeSpan? RateLimitResetOf(HttpResponseHeaders headers, RateLimitDescriptor rateLimit)
    {
        if (!headers.TryGetValues(rateLimit.ResetHeader, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsNaN(number) || double.IsInfinity(number))
            {
                continue;
            }

            // Far beyond any bound: reported as such, so that the bound rejects it.
            const double MaxSeconds = 10 * 365 * 86400.0;
            var seconds = rateLimit.ResetKind == RateLimitResetKind.EpochSeconds
                ? number - (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds
                : number;
            return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxSeconds));
        }

        return null;
    }

    private TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Puts the credential on the request; returns the access token used when it came from the cache.</summary>
    private async ValueTask<string?> AuthorizeAsync(CallInfo call, HttpRequestMessage message, CancellationToken token)
    {
        if (call.ExchangeSecret is { } refresh)
        {
            message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + refresh);
            return null;
        }

        var secret = _credential.ReadValidSecret();
        call.Scrubber.Add(secret);
        switch (_scheme.Kind)
        {
            case AuthSchemeKind.ApiKey:
                message.Headers.TryAddWithoutValidation(_scheme.HeaderName!, secret);
                return null;
            case AuthSchemeKind.Basic:
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + secret));
                call.Scrubber.Add(basic);
                message.Headers.TryAddWithoutValidation("Authorization", "Basic " + basic);
                return null;
            case AuthSchemeKind.Bearer:
                message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + secret);
                return null;
            case AuthSchemeKind.Authorization:
                message.Headers.TryAddWithoutValidation("Authorization", _scheme.AuthorizationScheme + " " + secret);
                return null;
            default:
                string access;
                try
                {
                    access = await GetAccessTokenAsync(secret, token).ConfigureAwait(false);
                }
                catch
                {
                    call.ExchangeFailed = true;
                    throw;
                }

                call.Scrubber.Add(access);
                message.Headers.TryAddWithoutValidation("Authorization", "Bearer " + access);
                return access;
        }
    }

    private async ValueTask<string> GetAccessTokenAsync(string refreshToken, CancellationToken token)
    {
        if (_tokens.TryGet(refreshToken) is { } cached)
        {
            return cached;
        }

        await _tokens.Gate.WaitAsync(token).ConfigureAwait(false);
        try
        {
            if (_tokens.TryGet(refreshToken) is { } again)
            {
                return again;
            }

            var request = new EventsRequest(HttpMethod.Post, "TokenExchange", _scheme.ExchangePath!);
            request.AppendPath(_scheme.ExchangePath!);
            var field = _scheme.TokenField!;
            var access = await SendCoreAsync(request, body => JsonPayload.ReadStringProperty(body, field), refreshToken, token).ConfigureAwait(false);
            if (string.IsNullOrEmpty(access))
            {
                throw new EventsResponseFormatException($"POST {_scheme.ExchangePath} answered an empty access token.", 200, null, "POST", _scheme.ExchangePath!, "$." + field, field, null);
            }

            _tokens.Set(refreshToken, access);
            Log.TokenExchanged(_logger, _api.Name);
            return access;
        }
        finally
        {
            _tokens.Gate.Release();
        }
    }

    /// <summary>
    /// A response body read into an <see cref="ArrayPool{T}"/> buffer (sized from Content-Length when the
    /// server sends it, grown otherwise) instead of a fresh array per response: a page of thousands of events
    /// is a multi-megabyte body, which as a fresh array would be a large-object-heap allocation per page.
    /// The body is parsed from the buffer and the buffer returned (cleared: bodies can hold tokens) afterwards.
    /// </summary>
    private readonly struct PooledBody
    {
        private const int InitialSize = 16 * 1024;

        private readonly BodyBuffers _pool;
        private readonly byte[] _buffer;
        private readonly int _length;

        private PooledBody(BodyBuffers pool, byte[] buffer, int length)
        {
            _pool = pool;
            _buffer = buffer;
            _length = length;
        }

        public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

        public static async ValueTask<PooledBody> ReadAsync(HttpContent content, BodyBuffers pool, CancellationToken token)
        {
            var declared = content.Headers.ContentLength;

            // One byte more than declared, so that the read that finds the end does not have to grow the buffer.
            var buffer = pool.Rent(declared is > 0 and < int.MaxValue - 64 ? (int)declared.Value + 1 : InitialSize);
            var length = 0;
            try
            {
                var stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    while (true)
                    {
                        if (length == buffer.Length)
                        {
                            if (length >= Array.MaxLength)
                            {
                                throw new HttpRequestException($"The response body exceeds {Array.MaxLength} bytes.");
                            }

                            var larger = pool.Rent((int)Math.Min((long)length * 2, Array.MaxLength));
                            buffer.AsSpan(0, length).CopyTo(larger);
                            pool.Return(buffer, length);
                            buffer = larger;
                        }

                        var read = await stream.ReadAsync(buffer.AsMemory(length), token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        length += read;
                    }
                }

                return new PooledBody(pool, buffer, length);
            }
            catch
            {
                pool.Return(buffer, length);
                throw;
            }
        }

        public void Return() => _pool.Return(_buffer, _length);
    }

    /// <summary>
    /// Body buffers of one pipeline: one spare kept between requests (a paged enumeration reuses the same
    /// buffer page after page, whichever thread its continuations run on), others from
    /// <see cref="ArrayPool{T}.Shared"/>. The spare stays with the pipeline: one buffer of the largest recent
    /// body, rounded up to a power of two.
    /// </summary>
    private sealed class BodyBuffers
    {
        private byte[]? _spare;

        public byte[] Rent(int minimum)
        {
            var spare = Interlocked.Exchange(ref _spare, null);
            if (spare is not null)
            {
                if (spare.Length >= minimum)
                {
                    return spare;
                }

                ArrayPool<byte>.Shared.Return(spare);
            }

            return ArrayPool<byte>.Shared.Rent(minimum);
        }

        /// <summary>Clears the used part (bodies can hold tokens) and keeps or pools the buffer.</summary>
        public void Return(byte[] buffer, int used)
        {
            buffer.AsSpan(0, used).Clear();
            var previous = Interlocked.Exchange(ref _spare, buffer);
            if (previous is not null)
            {
                // Keep the larger of the two as the spare.
                if (previous.Length > buffer.Length && Interlocked.CompareExchange(ref _spare, previous, buffer) == buffer)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(previous);
                }
            }
        }
    }

    /// <summary>What one call needs across its attempts.</summary>
    /// <summary>What a next-link page takes from its response: the link header's values, the status and the scrubbed path.</summary>
    private sealed class PageCapture(string? headerName)
    {
        public string? HeaderName { get; } = headerName;

        public string[]? HeaderValues { get; set; }

        public string? Next { get; set; }

        public Uri? RequestUri { get; set; }

        public int Status { get; set; }

        public string DisplayPath { get; set; } = string.Empty;

        public string LogPath { get; set; } = string.Empty;
    }

    private sealed class CallInfo
    {
        public CallInfo(EventsRequest request, Uri uri, string? exchangeSecret, EventsPipeline owner)
        {
            Request = request;
            Uri = uri;
            ExchangeSecret = exchangeSecret;
            Owner = owner;
            Method = request.Method.Method;
            Operation = request.OperationName;
            if (exchangeSecret is not null)
            {
                Scrubber.Add(exchangeSecret);
            }
        }

        public EventsRequest Request { get; }

        /// <summary>What a next-link page needs of the response beyond its body; null for other calls.</summary>
        public PageCapture? Capture { get; init; }

        public Uri Uri { get; }

        public string? ExchangeSecret { get; }

        public EventsPipeline Owner { get; }

        public string Method { get; }

        public string Operation { get; }

        /// <summary>Path and query, scrubbed of every secret known so far, for exceptions.</summary>
        public string DisplayPath => Scrubbed(ref _displayPath, Uri.PathAndQuery);

        /// <summary>Path without query, scrubbed, for logs.</summary>
        public string LogPath => Scrubbed(ref _logPath, Uri.AbsolutePath);

        /// <summary>
        /// The URL for the trace's <c>url.full</c> (OpenTelemetry HTTP client conventions): without user info,
        /// and with the value of every query parameter that carries a secret (one the scrubber knows, or one of
        /// the conventions' signature parameters) replaced by <c>REDACTED</c>.
        /// </summary>
        public string UrlFull
        {
            get
            {
                // Authority: host and port (when not the scheme's default), never the user info.
                var sb = new StringBuilder(Uri.Scheme).Append(Uri.SchemeDelimiter).Append(Uri.Authority);
                sb.Append(Scrubber.Scrub(Uri.AbsolutePath));
                var query = Uri.Query;
                if (query.Length > 1)
                {
                    var first = true;
                    foreach (var pair in query[1..].Split('&'))
                    {
                        sb.Append(first ? '?' : '&');
                        first = false;
                        var eq = pair.IndexOf('=', StringComparison.Ordinal);
                        var name = eq < 0 ? pair : pair[..eq];
                        if (eq < 0)
                        {
                            sb.Append(Scrubber.Scrub(pair));
                            continue;
                        }

                        var value = pair[(eq + 1)..];
                        var secret = Array.IndexOf(RedactedQueryKeys, Uri.UnescapeDataString(name)) >= 0 || Scrubber.Scrub(value) != value;
                        sb.Append(Scrubber.Scrub(name)).Append('=').Append(secret ? "REDACTED" : value);
                    }
                }

                return sb.ToString();
            }
        }

        public SecretScrubber Scrubber { get; } = new();

        public int Attempts { get; set; }

        public bool Refreshed { get; set; }

        public int LastStatus { get; set; }

        /// <summary>The token exchange failed inside this call: the call is not retried.</summary>
        public bool ExchangeFailed { get; set; }

        private (int Version, string Text) _displayPath = (-1, string.Empty);
        private (int Version, string Text) _logPath = (-1, string.Empty);

        /// <summary>Text scrubbed once per set of known secrets (secrets are registered as attempts authenticate).</summary>
        private string Scrubbed(ref (int Version, string Text) cache, string raw)
        {
            if (cache.Version != Scrubber.Version)
            {
                cache = (Scrubber.Version, Scrubber.Scrub(raw));
            }

            return cache.Text;
        }
    }

    /// <summary>Query parameters whose values OpenTelemetry's HTTP conventions redact by default (signatures).</summary>
    private static readonly string[] RedactedQueryKeys = { "AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature" };

    /// <summary>The cached access token, tied to the refresh token that produced it.</summary>
    private sealed class TokenCache
    {
        private readonly object _lock = new();
        private string? _refresh;
        private string? _access;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? TryGet(string refresh)
        {
            lock (_lock)
            {
                return _access is not null && string.Equals(_refresh, refresh, StringComparison.Ordinal) ? _access : null;
            }
        }

        public void Set(string refresh, string access)
        {
            lock (_lock)
            {
                _refresh = refresh;
                _access = access;
            }
        }

        public void Invalidate(string access)
        {
            lock (_lock)
            {
                if (string.Equals(_access, access, StringComparison.Ordinal))
                {
                    _access = null;
                }
            }
        }
    }
}
