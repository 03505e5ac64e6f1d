using EventsBindings.Runtime.Infrastructure;
using Polly.Retry;
using Polly.Timeout;
using Polly;

namespace EventsBindings.Runtime;

/// <summary>
/// The Polly pipelines a call runs in: overall deadline ⟶ retry ⟶ attempt timeout. Polly owns the loop, the
/// waits and the timeouts; what to retry comes from the <see cref="ResponseClassifier"/>, and each scheduled
/// retry is reported to the <see cref="PipelineTelemetry"/>.
/// </summary>
internal sealed class RetryStrategy
{
    private readonly EventsRetryOptions _retry;
    private readonly ResponseClassifier _classifier;
    private readonly PipelineTelemetry _telemetry;

    /// <summary>Builds both pipelines from a snapshot of the options (later changes to them have no effect).</summary>
    public RetryStrategy(string apiName, EventsClientOptions options, TimeProvider time, RateLimitDescriptor? rateLimit, PipelineTelemetry telemetry)
    {
        var retry = options.Retry ?? new EventsRetryOptions();
        _retry = new EventsRetryOptions
        {
            MaxRetries = retry.MaxRetries,
            BaseDelay = retry.BaseDelay,
            MaxDelay = retry.MaxDelay,
            MaxRetryAfter = retry.MaxRetryAfter,
            UseJitter = retry.UseJitter,
        };
        AttemptTimeout = options.AttemptTimeout;
        OverallTimeout = options.OverallTimeout;
        _telemetry = telemetry;
        Validate();
        _classifier = new ResponseClassifier(time, _retry.MaxRetryAfter, rateLimit);
        Idempotent = Build(apiName, time, idempotent: true);
        UnsentOnly = Build(apiName, time, idempotent: false);
    }

    /// <summary>The pipeline of idempotent requests: every transient failure is retried.</summary>
    public ResiliencePipeline Idempotent { get; }

    /// <summary>The pipeline of the others: only a connection that could not be established is retried.</summary>
    public ResiliencePipeline UnsentOnly { get; }

    public TimeSpan? AttemptTimeout { get; }

    public TimeSpan? OverallTimeout { get; }

    /// <summary>What failures mean (also asked by the attempt for the response's wait hint).</summary>
    public ResponseClassifier Classifier => _classifier;

    private void Validate()
    {
        static void Range(TimeSpan? value, string name)
        {
            if (value is { } v && (v < TimeSpan.FromMilliseconds(10) || v > TimeSpan.FromDays(1)))
            {
                throw new ArgumentOutOfRangeException(name, v, "A timeout must lie between 10 ms and 1 day (or be null for none).");
            }
        }

        Range(AttemptTimeout, nameof(EventsClientOptions.AttemptTimeout));
        Range(OverallTimeout, nameof(EventsClientOptions.OverallTimeout));
        if (_retry.MaxRetries < 0 || _retry.BaseDelay < TimeSpan.Zero || _retry.MaxDelay < TimeSpan.Zero || _retry.MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(EventsClientOptions.Retry), "Retry counts and delays cannot be negative.");
        }
    }

    private ResiliencePipeline Build(string apiName, TimeProvider time, bool idempotent)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time, Name = "EventsBindings." + apiName };
        if (OverallTimeout is { } overall)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = overall, Name = "overall" });
        }

        if (_retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = _retry.MaxRetries,

                // The delay is ours (DelayGenerator): Retry-After hints win over the backoff.
                BackoffType = DelayBackoffType.Constant,
                Delay = TimeSpan.Zero,
                MaxDelay = null,
                UseJitter = false,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Exception, args.Context, idempotent)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDelay(args.Outcome.Exception, args.AttemptNumber)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(CallInfo.Key, out var call))
                    {
                        _telemetry.Retry(call, ResponseClassifier.Reason(args.Outcome.Exception), args.AttemptNumber + 1, _retry.MaxRetries, args.RetryDelay);
                    }

                    return default;
                },
            });
        }

        if (AttemptTimeout is { } attempt)
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
        if (context.Properties.TryGetValue(CallInfo.Key, out var call) && call.ExchangeFailed)
        {
            return false;
        }

        return _classifier.IsRetryable(ex, idempotent);
    }

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
}
