using System.Globalization;
using System.Net;

namespace EventsBindings.Runtime;

/// <summary>
/// A call to an events API failed. One family: the subclass says why (authentication, authorization, not
/// found, throttled, server error, malformed response, timeout, connection). Messages carry the method and
/// path, the status with the contract's meaning of it and a bounded excerpt of the body, never a secret.
/// </summary>
public class EventsRequestException : Exception
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message (already free of secrets).</param>
    /// <param name="status">The HTTP status, or 0 when no response arrived.</param>
    /// <param name="meaning">The contract's meaning of the status.</param>
    /// <param name="bodyExcerpt">A bounded excerpt of the response body.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path and query, without secrets.</param>
    /// <param name="innerException">The cause.</param>
    public EventsRequestException(string message, int status, string? meaning, string? bodyExcerpt, string method, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        Meaning = meaning;
        BodyExcerpt = bodyExcerpt;
        Method = method;
        Path = path;
    }

    /// <summary>The HTTP status code, or 0 when no response arrived (timeout, connection failure).</summary>
    public int Status { get; }

    /// <summary>The contract's meaning of <see cref="Status"/>, when it declares one.</summary>
    public string? Meaning { get; }

    /// <summary>A bounded excerpt of the response body (secrets removed), when there was one.</summary>
    public string? BodyExcerpt { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path and query (no credential is ever part of it).</summary>
    public string Path { get; }

    /// <summary>The Retry-After the server sent with this answer (any status), for the retry policy.</summary>
    internal TimeSpan? RetryAfterHint { get; set; }

    /// <summary>Whether repeating the same request later may succeed (408, 429, 5xx, timeouts, connection failures).</summary>
    public virtual bool IsTransient => Status is 408 or 429 or >= 500;

    internal static string Describe(string method, string path, int status, string? meaning, string? excerpt)
    {
        var reason = status > 0 ? ReasonPhrase(status) : null;
        var text = string.Create(CultureInfo.InvariantCulture, $"{method} {path} answered {status}{(reason is null ? string.Empty : " (" + reason + ")")}");
        if (meaning is not null)
        {
            text += ": " + meaning.TrimEnd('.') + ".";
        }
        else
        {
            text += ".";
        }

        if (!string.IsNullOrEmpty(excerpt))
        {
            text += " Body: " + excerpt;
        }

        return text;
    }

    private static string? ReasonPhrase(int status)
    {
        var name = ((HttpStatusCode)status).ToString();
        return int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : name;
    }

    /// <summary>Creates the exception that fits a status.</summary>
    internal static EventsRequestException ForStatus(int status, string? meaning, string? excerpt, string method, string path, TimeSpan? retryAfter)
    {
        var message = Describe(method, path, status, meaning, excerpt);
        return status switch
        {
            401 => new EventsAuthenticationException(message, status, meaning, excerpt, method, path),
            403 => new EventsAuthorizationException(message, status, meaning, excerpt, method, path),
            404 => new EventsNotFoundException(message, status, meaning, excerpt, method, path),
            429 => new EventsThrottledException(
                retryAfter is { } ra ? message + string.Create(CultureInfo.InvariantCulture, $" Retry-After: {ra.TotalSeconds:0.###} s.") : message,
                status, meaning, excerpt, method, path, retryAfter),
            >= 500 => new EventsServerException(message, status, meaning, excerpt, method, path),
            _ => new EventsRequestException(message, status, meaning, excerpt, method, path),
        };
    }
}

/// <summary>401: the credential is missing, invalid or expired.</summary>
public sealed class EventsAuthenticationException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="meaning">The contract's meaning.</param>
    /// <param name="bodyExcerpt">A bounded body excerpt.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    public EventsAuthenticationException(string message, int status, string? meaning, string? bodyExcerpt, string method, string path)
        : base(message, status, meaning, bodyExcerpt, method, path)
    {
    }
}

/// <summary>403: the credential is valid but may not do this.</summary>
public sealed class EventsAuthorizationException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="meaning">The contract's meaning.</param>
    /// <param name="bodyExcerpt">A bounded body excerpt.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    public EventsAuthorizationException(string message, int status, string? meaning, string? bodyExcerpt, string method, string path)
        : base(message, status, meaning, bodyExcerpt, method, path)
    {
    }
}

/// <summary>404: the resource does not exist.</summary>
public sealed class EventsNotFoundException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="meaning">The contract's meaning.</param>
    /// <param name="bodyExcerpt">A bounded body excerpt.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    public EventsNotFoundException(string message, int status, string? meaning, string? bodyExcerpt, string method, string path)
        : base(message, status, meaning, bodyExcerpt, method, path)
    {
    }
}

/// <summary>429: the server throttles the client; <see cref="RetryAfter"/> is what it asked for.</summary>
public sealed class EventsThrottledException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="meaning">The contract's meaning.</param>
    /// <param name="bodyExcerpt">A bounded body excerpt.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    /// <param name="retryAfter">The Retry-After the server sent.</param>
    public EventsThrottledException(string message, int status, string? meaning, string? bodyExcerpt, string method, string path, TimeSpan? retryAfter)
        : base(message, status, meaning, bodyExcerpt, method, path)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>The wait the server asked for (Retry-After, as seconds or an HTTP date), when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>5xx: the server failed.</summary>
public sealed class EventsServerException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="meaning">The contract's meaning.</param>
    /// <param name="bodyExcerpt">A bounded body excerpt.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    public EventsServerException(string message, int status, string? meaning, string? bodyExcerpt, string method, string path)
        : base(message, status, meaning, bodyExcerpt, method, path)
    {
    }
}

/// <summary>A successful status whose body does not match the contract (malformed JSON, a wrong type, a missing field).</summary>
public sealed class EventsResponseFormatException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="bodyExcerpt">A bounded body excerpt.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    /// <param name="jsonPath">Where in the body the problem lies (e.g. <c>$[3].time</c>), when known.</param>
    /// <param name="field">The contract's name of the field, when known.</param>
    /// <param name="innerException">The parser's exception.</param>
    public EventsResponseFormatException(string message, int status, string? bodyExcerpt, string method, string path, string? jsonPath, string? field, Exception? innerException)
        : base(message, status, null, bodyExcerpt, method, path, innerException)
    {
        JsonPath = jsonPath;
        Field = field;
    }

    /// <summary>Where in the body the problem lies, as a JSON path.</summary>
    public string? JsonPath { get; }

    /// <summary>The contract's name of the field that was wrong.</summary>
    public string? Field { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}

/// <summary>No answer within the attempt timeout (after every retry) or the overall deadline.</summary>
public sealed class EventsTimeoutException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    /// <param name="innerException">The cause.</param>
    public EventsTimeoutException(string message, string method, string path, Exception? innerException)
        : base(message, 0, null, null, method, path, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => true;
}

/// <summary>The server could not be reached or the connection broke (after every retry).</summary>
public sealed class EventsConnectionException : EventsRequestException
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="method">The method.</param>
    /// <param name="path">The path.</param>
    /// <param name="innerException">The cause.</param>
    public EventsConnectionException(string message, string method, string path, Exception? innerException)
        : base(message, 0, null, null, method, path, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => true;
}
