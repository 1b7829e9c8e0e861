using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// netstandard2.0 only: the members of the framework's types that this library calls and that
/// arrived after .NET Standard 2.0, as extension members, so that the calls read the same on both
/// targets. Each does what the built-in one does, through what .NET Standard 2.0 has.
/// </summary>
internal static class BclPolyfills
{
    [ThreadStatic]
    private static Random? t_random;

    extension(string)
    {
        public static string Create<TState>(int length, TState state, SpanAction<char, TState> action)
        {
            char[] chars = new char[length];
            action(chars, state);
            return new string(chars);
        }

        public static string Join(char separator, string?[] value, int startIndex, int count) =>
            string.Join(separator.ToString(), value, startIndex, count);
    }

    extension(int)
    {
        public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out int result) =>
            int.TryParse(s.ToString(), style, provider, out result);
    }

    extension(Encoding encoding)
    {
        public string GetString(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : encoding.GetString(bytes.ToArray());
    }

    extension(ArgumentNullException)
    {
        public static void ThrowIfNull(object? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }

    extension(Array)
    {
        /// <summary>The largest length of a byte array, as .NET Core's <c>Array.MaxLength</c>.</summary>
        public static int MaxLength => 0x7FFFFFC7;
    }

    extension(Math)
    {
        public static int Clamp(int value, int min, int max) => Math.Min(Math.Max(value, min), max);

        public static double Clamp(double value, double min, double max) => Math.Min(Math.Max(value, min), max);
    }

    extension(Random)
    {
        /// <summary>A thread's own instance: <see cref="Random"/> is not safe to share between threads.</summary>
        public static Random Shared => t_random ??= new Random(Guid.NewGuid().GetHashCode());
    }

    extension(Task)
    {
        public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken) =>
            timeProvider.Delay(delay, cancellationToken);
    }

    extension(CancellationTokenSource source)
    {
        /// <summary>Always false: before .NET 6 a source cannot be reset, so the caller makes a new one.</summary>
        public bool TryReset() => false;
    }

    extension(HttpContent content)
    {
        /// <summary>The content's stream; .NET Standard's HttpClient takes no token here (reads from the stream do).</summary>
        public Task<Stream> ReadAsStreamAsync(CancellationToken cancellationToken) => content.ReadAsStreamAsync();
    }

    extension<TKey, TValue>(ConcurrentDictionary<TKey, TValue> dictionary)
        where TKey : notnull
    {
        public TValue GetOrAdd<TArg>(TKey key, Func<TKey, TArg, TValue> valueFactory, TArg factoryArgument) =>
            dictionary.TryGetValue(key, out TValue? value) ? value : dictionary.GetOrAdd(key, k => valueFactory(k, factoryArgument));
    }
}

/// <summary>netstandard2.0 only: .NET Core's callback of <c>string.Create</c>.</summary>
internal delegate void SpanAction<T, in TArg>(Span<T> span, TArg arg);
