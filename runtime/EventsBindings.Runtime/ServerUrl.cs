using System.Globalization;
using System.Text;

namespace EventsBindings.Runtime;

/// <summary>A variable of a server URL template (<c>https://{domain}</c>), as declared by the contract.</summary>
/// <param name="Name">The placeholder's name.</param>
/// <param name="Default">The value used when none is given; null when a value must be given.</param>
/// <param name="Description">What the value is (for error messages).</param>
/// <param name="Allowed">The only values allowed, or null for any.</param>
public sealed record ServerVariableDescriptor(string Name, string? Default = null, string? Description = null, IReadOnlyList<string>? Allowed = null);

/// <summary>
/// Fills server URL templates. A value is one piece of a host name or a path segment: it may not contain
/// <c>/</c>, <c>?</c>, <c>#</c>, <c>@</c>, <c>\</c>, <c>%</c> or whitespace, so that a value can never
/// point the client at another host or path than the template says.
/// </summary>
public static class ServerUrl
{
    /// <summary>Fills a template with the given values (or the variables' defaults).</summary>
    /// <param name="server">The server's name (for messages).</param>
    /// <param name="template">The URL template, with <c>{name}</c> placeholders.</param>
    /// <param name="variables">The template's variables.</param>
    /// <param name="values">Values by variable name, or null for the defaults only. A null value means the default.</param>
    /// <returns>The absolute base URL.</returns>
    /// <exception cref="ArgumentException">A value is not allowed (the exception's parameter name is the variable's), or a value names no variable of the server.</exception>
    /// <exception cref="InvalidOperationException">A variable without default has no value.</exception>
    public static Uri Fill(string server, string template, IReadOnlyList<ServerVariableDescriptor> variables, IEnumerable<KeyValuePair<string, string?>>? values)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(variables);
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in values ?? Array.Empty<KeyValuePair<string, string?>>())
        {
            if (!variables.Any(v => v.Name == pair.Key))
            {
                throw new ArgumentException($"The server {server} has no variable '{pair.Key}'; it has: {string.Join(", ", variables.Select(v => v.Name))}.", nameof(values));
            }

            given[pair.Key] = pair.Value;
        }

        var url = new StringBuilder(template);
        foreach (var variable in variables)
        {
            var value = given.TryGetValue(variable.Name, out var v) && v is not null ? v : variable.Default;
            if (value is null)
            {
                throw new InvalidOperationException(
                    $"The server {server} ({template}) needs a value for the variable '{variable.Name}'{(variable.Description is null ? string.Empty : " (" + variable.Description.TrimEnd('.') + ")")}, which has no default: "
                    + "pass it to the server's factory method, or set it in the options' ServerVariables, or give an Endpoint.");
            }

            Check(variable, value);
            url.Replace("{" + variable.Name + "}", value);
        }

        var text = url.ToString();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The values of the server {server} make '{text}', which is not an absolute http(s) URL.", nameof(values));
        }

        return uri;
    }

    /// <summary>Checks one value of a variable.</summary>
    /// <param name="variable">The variable.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException">The value is empty, holds a character that is not allowed or is not one of the allowed values; the parameter name is the variable's.</exception>
    public static void Check(ServerVariableDescriptor variable, string value)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException($"The server variable '{variable.Name}' may not be empty.", variable.Name);
        }

        foreach (var c in value)
        {
            if (c is '/' or '?' or '#' or '@' or '\\' or '%' or '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                var shown = char.IsControl(c) || char.IsWhiteSpace(c) ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();
                throw new ArgumentException($"The server variable '{variable.Name}' may not contain '{shown}' (no '/', '?', '#', '@', '\\', '%', braces or whitespace): it is one piece of the URL, not a URL.", variable.Name);
            }
        }

        if (variable.Allowed is { Count: > 0 } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The server variable '{variable.Name}' must be one of {string.Join(", ", allowed)}.", variable.Name);
        }
    }
}
