using System.ComponentModel;

namespace EventsBindings.Runtime.Infrastructure;

/// <summary>Parses a whole response body (generated code passes the contract's reader to <see cref="EventsPipeline"/>).</summary>
/// <typeparam name="T">The result type.</typeparam>
/// <param name="body">The body.</param>
/// <returns>The parsed result.</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate T ResponseParser<T>(ReadOnlySpan<byte> body);
