using System.ComponentModel;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EventsBindings.Runtime.Diagnostics;
using EventsBindings.Runtime.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Timeout;

namespace EventsBindings.Runtime.Infrastructure;

/// <summary>
/// The HTTP pipeline under a generated client: authentication (credential read per request, refresh-token
/// exchange with a cached access token refreshed once on 401), retries of idempotent requests on 408, 429,
/// 5xx and transient I/O errors (exponential backoff with jitter, Retry-After honoured up to a bound) and of
/// the others (the token exchange included) only when no connection could be made,
/// per-attempt timeout and overall deadline, logs, traces and metrics, and the mapping of failures to the
/// <see cref="EventsRequestException"/> family. The unit retried is one request including reading and
/// parsing its body, so a failed page is retried alone.
/// </summary>
/// <remarks>
/// This class only orchestrates: per call it runs the user's per-call policies, then Polly
/// (<see cref="RetryStrategy"/>); per attempt the scheme's <see cref="Authenticator"/>, the user's per-retry
/// policies, the send, the <see cref="ResponseClassifier"/>'s wait hint, and parsing. Telemetry is in
/// <see cref="PipelineTelemetry"/>, URL redaction in <see cref="UrlRedaction"/>, body pooling in <see cref="PooledBody"/>,
/// exceptions for calls that got no answer in <see cref="CallFailures"/>.
/// <para>Generated clients build it; it is no part of a user's surface (hidden from IntelliSense, in the
/// <c>Infrastructure</c> namespace).</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EventsPipeline
{
    private static readonly string DefaultUserAgent = "EventsBindings.Runtime/" + (typeof(EventsPipeline).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");

    private readonly HttpClient _http;
    private readonly string _base;
    private readonly Uri _baseUri;
    private readonly ApiDescriptor _api;
    private readonly AuthSchemeDescriptor _scheme;
    private readonly Authenticator _authenticator;
    private readonly PipelineTelemetry _telemetry;
    private readonly RetryStrategy _retry;
    private readonly int _maxExcerpt;
    private readonly string _userAgent;
    private readonly BodyBuffers _buffers = new();
    private readonly JsonStrictness _strictness;
    private readonly DriftReporter _drift;
    private readonly EventsPipelinePolicy[] _perCall;
    private readonly EventsPipelinePolicy[] _perRetry;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="httpClient">The HTTP client; its lifetime stays with the caller.</param>
    /// <param name="baseUri">The API's base URL; request paths are appended to it.</param>
    /// <param name="credential">The credential, read per request.</param>
    /// <param name="api">What the contract says about the API.</param>
    /// <param name="options">Retry, timeout, logging, auth options and user policies (read once, here).</param>
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
        _api = api;
        _scheme = AuthSchemeSelection.Select(api, credential, options.AuthScheme);
        var logger = options.LoggerFactory?.CreateLogger("EventsBindings.Runtime.EventsPipeline") ?? NullLogger.Instance;
        var time = options.TimeProvider ?? TimeProvider.System;
        _telemetry = new PipelineTelemetry(api.Name, logger, time);
        _maxExcerpt = Math.Max(0, options.MaxErrorBodyExcerpt);
        _userAgent = string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent : options.UserAgent + " " + DefaultUserAgent;
        _strictness = options.Strictness;
        _drift = new DriftReporter(api.Name, logger, options.OnRejectedItem);
        _retry = new RetryStrategy(api.Name, options, time, api.RateLimit, _telemetry);
        _perCall = options.PoliciesAt(EventsPipelinePosition.PerCall);
        _perRetry = options.PoliciesAt(EventsPipelinePosition.PerRetry);
        _authenticator = Authenticator.For(_scheme, credential, () => options.Tokens.For(baseUri, _scheme.Name), SendExchangeAsync, _telemetry);
    }

    /// <summary>The API this pipeline calls.</summary>
    public ApiDescriptor Api => _api;

    /// <summary>The base URL.</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>The auth scheme in use.</summary>
    public AuthSchemeDescriptor AuthScheme => _scheme;

    private ILogger Logger => _telemetry.Logger;

    /// <summary>
    /// Sends a request: authenticates it, retries it when it is idempotent and fails transiently, parses the
    /// body of a successful answer and maps failures to the <see cref="EventsRequestException"/> family.
    /// </summary>
    /// <typeparam name="T">The parsed result.</typeparam>
    /// <param name="request">The request.</param>
    /// <param name="parse">Parses the whole body of a 2xx answer.</param>
    /// <param name="cancellationToken">Cancels the call (an <see cref="OperationCanceledException"/> then propagates).</param>
    /// <returns>The parsed result, with the raw response it came from.</returns>
    /// <exception cref="EventsRequestException">The call failed; the subclass says why.</exception>
    public async Task<EventsResponse<T>> SendAsync<T>(EventsRequest request, ResponseParser<T> parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parse);
        var capture = new ResponseCapture(null);
        var value = await SendCoreAsync(request, parse, exchange: null, cancellationToken, capture).ConfigureAwait(false);
        return new EventsResponse<T>(value, capture.Response!);
    }

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
        var capture = new ResponseCapture(next.HeaderName);
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
                Log.RequestFailed(Logger, _api.Name, request.Method.Method, capture.LogPath, "malformed link header");
                throw new EventsResponseFormatException(message, capture.Status, null, request.Method.Method, capture.DisplayPath, null, header, ex);
            }
        }

        return new Paging.LinkedPage<T>(list, capture.Next, capture.RequestUri!) { Response = capture.Response };
    }

    private Task<string> SendExchangeAsync(EventsRequest request, ResponseParser<string> parse, string refreshToken, CancellationToken cancellationToken) =>
        SendCoreAsync(request, parse, refreshToken, cancellationToken);

    /// <summary>The absolute URI of a request: its next link (on the base URL's origin only) or the base URL with its path and query.</summary>
    private Uri UriOf(EventsRequest request)
    {
        if (request.Link is { } link)
        {
            // Defence in depth: whatever built the request, a next link never takes the credentials elsewhere.
            Paging.NextLinks.CheckOrigin(link, _baseUri);
            return link;
        }

        return new Uri(_base + request.RelativeUrl(), UriKind.Absolute);
    }

    private async Task<T> SendCoreAsync<T>(EventsRequest request, ResponseParser<T> parse, string? exchange, CancellationToken cancellationToken, ResponseCapture? capture = null)
    {
        var uri = UriOf(request);
        var call = new CallInfo(request, uri, exchange, this) { Capture = capture };
        if (capture is not null)
        {
            capture.RequestUri = uri;
        }

        var isIdempotent = exchange is null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options);
        var pipeline = isIdempotent ? _retry.Idempotent : _retry.UnsentOnly;

        using var activity = _telemetry.StartCall(request, uri);
        var started = _telemetry.Time.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(request.OperationName, cancellationToken);
        context.Properties.Set(CallInfo.Key, call);
        string? errorType = null;
        try
        {
            if (_perCall.Length == 0)
            {
                return await ExecuteAsync(pipeline, context, call, parse).ConfigureAwait(false);
            }

            // User policies of the call wrap the whole retry loop; only then is the closure worth allocating.
            T result = default!;
            var message = new EventsPipelineMessage(request, EventsPipelinePosition.PerCall, 0, null, cancellationToken);
            await PolicyChain.RunAsync(_perCall, message, async () =>
            {
                // The policies may have changed the path or query: every attempt goes where the request now says.
                call.Retarget(UriOf(request));
                result = await ExecuteAsync(pipeline, context, call, parse).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return result;
        }
        catch (EventsRequestException ex)
        {
            errorType = ex.Status > 0 ? ex.Status.ToString(CultureInfo.InvariantCulture) : ex.GetType().Name;
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            errorType = "timeout";
            throw CallFailures.Timeout(call, ex, _retry.AttemptTimeout, _retry.OverallTimeout, _telemetry);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            errorType = "timeout";
            throw CallFailures.TimedOut(call, ex, _telemetry);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            errorType = ex.GetType().Name;
            throw CallFailures.Connection(call, ex, _telemetry);
        }
        catch (OperationCanceledException)
        {
            errorType = "cancelled";
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            _telemetry.EndCall(request, call, activity, started, errorType);
        }
    }

    private static ValueTask<T> ExecuteAsync<T>(ResiliencePipeline pipeline, ResilienceContext context, CallInfo call, ResponseParser<T> parse) =>
        pipeline.ExecuteAsync(
            static (ctx, state) => state.Call.Owner.AttemptAsync(state.Call, state.Parse, ctx.CancellationToken),
            context,
            (Call: call, Parse: parse));

    /// <summary>One attempt: sent again at most once within the attempt when a cached access token was rejected.</summary>
    private async ValueTask<T> AttemptAsync<T>(CallInfo call, ResponseParser<T> parse, CancellationToken token)
    {
        call.Attempts++;
        while (true)
        {
            using var message = new HttpRequestMessage(call.Request.Method, call.Uri);
            var accessToken = await _authenticator.AuthorizeAsync(call, message, token).ConfigureAwait(false);
            foreach (var (name, value) in call.Request.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_http.DefaultRequestHeaders.UserAgent.Count == 0)
            {
                message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            }

            var started = _telemetry.Time.GetTimestamp();
            int status;
            PooledBody body;
            TimeSpan? retryAfter;
            try
            {
                using var response = await SendHttpAsync(call, message, token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                body = await PooledBody.ReadAsync(response.Content, _buffers, token).ConfigureAwait(false);
                if (call.Capture is { } capture)
                {
                    capture.Status = status;
                    capture.DisplayPath = call.DisplayPath;
                    capture.LogPath = call.LogPath;
                    capture.HeaderValues = capture.HeaderName is { } h && response.Headers.TryGetValues(h, out var values) ? values.ToArray() : null;
                    capture.Response = status is >= 200 and < 300 ? EventsResponse.Capture(response, _api.RateLimit, _telemetry.Time) : null;
                }

                retryAfter = _retry.Classifier.RetryHintOf(response);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !token.IsCancellationRequested))
            {
                _telemetry.CountRequest(call, 0, ex.GetType().Name);
                Log.RequestFailed(Logger, _api.Name, call.Method, call.LogPath, ex.GetType().Name);
                throw;
            }

            try
            {
                call.LastStatus = status;
                _telemetry.CountRequest(call, status, null);
                Log.Request(Logger, _api.Name, call.Method, call.LogPath, status, _telemetry.Time.GetElapsedTime(started).TotalMilliseconds, call.Attempts);

                if (status == 401 && accessToken is not null && !call.Refreshed && _authenticator.Rejected(accessToken))
                {
                    call.Refreshed = true;
                    Log.TokenRejected(Logger, _api.Name, call.Method, call.LogPath);
                    continue;
                }

                if (status is >= 200 and < 300)
                {
                    return Parse(call, parse, status, body);
                }

                if (status == 429)
                {
                    Log.Throttled(Logger, _api.Name, call.Method, call.LogPath, retryAfter?.TotalMilliseconds);
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

    /// <summary>The HTTP send of an attempt, through the user's per-retry policies when there are any.</summary>
    private async ValueTask<HttpResponseMessage> SendHttpAsync(CallInfo call, HttpRequestMessage message, CancellationToken token)
    {
        if (_perRetry.Length == 0)
        {
            return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }

        var attempt = new EventsPipelineMessage(call.Request, EventsPipelinePosition.PerRetry, call.Attempts, message, token);
        await PolicyChain.RunAsync(_perRetry, attempt, async () =>
        {
            attempt.Response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return attempt.Response ?? throw new InvalidOperationException("A per-retry pipeline policy completed without awaiting the rest of the pipeline.");
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
            Log.RequestFailed(Logger, _api.Name, call.Method, call.LogPath, "malformed response");
            throw new EventsResponseFormatException(message, status, excerpt, call.Method, call.DisplayPath, path, field, ex is JsonPayloadException ? ex : null);
        }

        if (result is System.Collections.ICollection collection)
        {
            _telemetry.Items(call, collection.Count);
        }

        return result;
    }

    /// <summary>
    /// A scrubbed excerpt of a body for an exception; never of a token exchange's answer, which may hold an
    /// access token the scrubber does not know yet (a body that does not match the contract's token field).
    /// </summary>
    private string? Excerpt(CallInfo call, PooledBody body) =>
        call.ExchangeSecret is null ? call.Scrubber.Excerpt(body.Span, _maxExcerpt) : null;
}
