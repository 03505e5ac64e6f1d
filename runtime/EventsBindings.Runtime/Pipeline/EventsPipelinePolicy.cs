namespace EventsBindings.Runtime;

/// <summary>Where a user policy runs in the pipeline (<see cref="EventsClientOptions.AddPolicy"/>).</summary>
public enum EventsPipelinePosition
{
    /// <summary>
    /// Once per call, outside the retry loop: before the first attempt and after the last. Changes to
    /// <see cref="EventsPipelineMessage.Request"/> (a header, say) are sent on every attempt.
    /// </summary>
    PerCall,

    /// <summary>
    /// Once per attempt, inside the retry loop, around the HTTP send: after authentication, so
    /// <see cref="EventsPipelineMessage.HttpRequest"/> is the message as it goes on the wire.
    /// </summary>
    PerRetry,
}

/// <summary>
/// A step of the pipeline that users add (as Azure.Core's <c>HttpPipelinePolicy</c>): it sees a call (or one
/// attempt of it), may change it, and must await <c>next</c> exactly once for the call to go on.
/// </summary>
/// <remarks>
/// Policies run for every call of the client, the refresh-token exchange included, in the order added.
/// A policy's exception propagates to the caller as it is; a per-retry policy's
/// <see cref="HttpRequestException"/> or <see cref="IOException"/> counts as a transient failure of the attempt.
/// Credentials the pipeline adds are on <see cref="EventsPipelineMessage.HttpRequest"/>: never log them.
/// </remarks>
public abstract class EventsPipelinePolicy
{
    /// <summary>Processes the call or attempt.</summary>
    /// <param name="message">The call or attempt.</param>
    /// <param name="next">The rest of the pipeline; await it exactly once.</param>
    /// <returns>A task that completes when the rest of the pipeline has.</returns>
    public abstract ValueTask ProcessAsync(EventsPipelineMessage message, Func<ValueTask> next);
}

/// <summary>What a <see cref="EventsPipelinePolicy"/> sees of a call or an attempt.</summary>
public sealed class EventsPipelineMessage
{
    internal EventsPipelineMessage(EventsRequest request, EventsPipelinePosition position, int attempt, HttpRequestMessage? httpRequest, CancellationToken cancellationToken)
    {
        Request = request;
        Position = position;
        Attempt = attempt;
        HttpRequest = httpRequest;
        CancellationToken = cancellationToken;
    }

    /// <summary>The call's request as generated code built it (operation name, path, query, headers).</summary>
    public EventsRequest Request { get; }

    /// <summary>Where the policy runs.</summary>
    public EventsPipelinePosition Position { get; }

    /// <summary>The attempt (1 for the first); 0 in the <see cref="EventsPipelinePosition.PerCall"/> position.</summary>
    public int Attempt { get; }

    /// <summary>The attempt's HTTP message, authenticated; null in the <see cref="EventsPipelinePosition.PerCall"/> position.</summary>
    public HttpRequestMessage? HttpRequest { get; }

    /// <summary>
    /// The attempt's response once <c>next</c> has completed (its body not yet read: the pipeline reads and
    /// parses it); null before, and always in the <see cref="EventsPipelinePosition.PerCall"/> position.
    /// </summary>
    public HttpResponseMessage? Response { get; internal set; }

    /// <summary>Cancels the call or attempt (the attempt's token includes the attempt timeout).</summary>
    public CancellationToken CancellationToken { get; }
}

/// <summary>Runs a chain of user policies around the pipeline's own step.</summary>
internal static class PolicyChain
{
    public static ValueTask RunAsync(EventsPipelinePolicy[] policies, EventsPipelineMessage message, Func<ValueTask> last)
    {
        return Next(0);

        ValueTask Next(int index) => index == policies.Length
            ? last()
            : policies[index].ProcessAsync(message, () => Next(index + 1));
    }
}
