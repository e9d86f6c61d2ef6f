using System.Threading.Tasks;
using Xunit;
using VerifyCS = ConcurrencyAnalyzers.Tests.Verifiers.CSharpVerifier<
    ConcurrencyAnalyzers.Rules.Compute.CONC011CpuHeavyCallAnalyzer,
    ConcurrencyAnalyzers.CodeFixes.Rules.Compute.CONC011CpuHeavyCallCodeFix>;

namespace ConcurrencyAnalyzers.Tests.Rules.Compute;

public class CONC011CpuHeavyCallTests
{
    /// <summary>The flagged source of the fix test (also compiled and run by <c>FixedCodeRunsTests</c>).</summary>
    public const string Accounts = """
        using System.IO.Compression;
        using System.Security.Cryptography;
        using System.Text.RegularExpressions;
        using ConcurrencyAnalyzers.Runtime;

        class Accounts
        {
            async Task<int> RegisterAsync(string password, byte[] salt, Stream output, CancellationToken ct)
            {
                var key = {|#0:Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32)|};
                await output.WriteAsync(key, ct);
                using var rsa = {|#1:RSA.Create(4096)|};
                using var zip = {|#2:new GZipStream(new MemoryStream(), CompressionLevel.SmallestSize)|};
                var check = {|#3:new Regex("^[a-z]+$", RegexOptions.Compiled | RegexOptions.IgnoreCase)|};
                return key.Length + rsa.KeySize + (check.IsMatch(password) ? 1 : 0);
            }
        }
        """;

    /// <summary>What the fix makes of <see cref="Accounts"/>.</summary>
    public const string AccountsFixed = """
        using System.IO.Compression;
        using System.Security.Cryptography;
        using System.Text.RegularExpressions;
        using ConcurrencyAnalyzers.Runtime;

        class Accounts
        {
            async Task<int> RegisterAsync(string password, byte[] salt, Stream output, CancellationToken ct)
            {
                var key = await ThreadExecutor.Compute.RunAsync(() => Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32), ct);
                await output.WriteAsync(key, ct);
                using var rsa = await ThreadExecutor.Compute.RunAsync(() => RSA.Create(4096), ct);
                using var zip = await ThreadExecutor.Compute.RunAsync(() => new GZipStream(new MemoryStream(), CompressionLevel.SmallestSize), ct);
                var check = await ThreadExecutor.Compute.RunAsync(() => new Regex("^[a-z]+$", RegexOptions.Compiled | RegexOptions.IgnoreCase), ct);
                return key.Length + rsa.KeySize + (check.IsMatch(password) ? 1 : 0);
            }
        }
        """;

    private const string Before = "before the first await, on the caller's thread";
    private const string After = "after an await";

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Heavy(int location, string call, string work, string where) =>
        VerifyCS.Diagnostic().WithLocation(location).WithArguments(call, work, where);

    // Key derivation, key generation, compression to memory at the smallest size and a per-call compiled Regex: each
    // moves to the compute executor with its value kept and the token in scope passed (Fix All: every one in one pass).
    [Fact]
    public Task HeavyCallsOnAnAsyncPath_Trigger_FixRunsThemOnTheComputeExecutor() => VerifyCS.VerifyCodeFixAsync(
        Accounts,
        AccountsFixed,
        Heavy(0, "Rfc2898DeriveBytes.Pbkdf2", "PBKDF2 key derivation", Before),
        Heavy(1, "RSA.Create", "RSA key generation", After),
        Heavy(2, "new GZipStream", "compression at the smallest-size level", After),
        Heavy(3, "new Regex", "Regex compilation (RegexOptions.Compiled)", After));

    // Password hashers by their well-known names, and what the user lists; a Task-returning method is an async path too.
    // Under offload_target = bcl the fix writes Task.Run.
    [Fact]
    public Task PasswordHashersAndListedApis_Trigger_BclFixUsesTaskRun() => VerifyCS.VerifyCodeFixAsync(
        /* lang=c#-test */ """
        namespace BCrypt.Net
        {
            public static class BCrypt
            {
                public static string HashPassword(string password) => password;
            }
        }

        namespace Imaging
        {
            public static class Resizer
            {
                public static byte[] Shrink(byte[] image) => image;
            }
        }

        class Users
        {
            async Task<string> HashAsync(string password)
            {
                await Task.Yield();
                return {|#0:BCrypt.Net.BCrypt.HashPassword(password)|};
            }

            Task<byte[]> ThumbnailAsync(byte[] image) => Task.FromResult({|#1:Imaging.Resizer.Shrink(image)|});
        }
        """,
        /* lang=c#-test */ """
        namespace BCrypt.Net
        {
            public static class BCrypt
            {
                public static string HashPassword(string password) => password;
            }
        }

        namespace Imaging
        {
            public static class Resizer
            {
                public static byte[] Shrink(byte[] image) => image;
            }
        }

        class Users
        {
            async Task<string> HashAsync(string password)
            {
                await Task.Yield();
                return await Task.Run(() => BCrypt.Net.BCrypt.HashPassword(password));
            }

            async Task<byte[]> ThumbnailAsync(byte[] image) => await Task.Run(() => Imaging.Resizer.Shrink(image));
        }
        """,
        "concurrency_analyzers.offload_target = bcl\nconcurrency_analyzers.additional_cpu_heavy_apis = T:Imaging.Resizer",
        equivalenceKey: null,
        fixedHasUsings: false,
        Heavy(0, "BCrypt.HashPassword", "password hashing (BCrypt)", After),
        Heavy(1, "Resizer.Shrink", "listed in concurrency_analyzers.additional_cpu_heavy_apis", Before));

    // The look-alikes: cheap cryptography, small constants, imports (also into RSA.Create(2048): keys are generated
    // lazily), other compression levels and targets, a Regex compiled once (a static field, or ??= into a field), work
    // already off the async path, a call in a loop CONC010 reports, synchronous code, excluded APIs.
    [Fact]
    public Task CheapOrAlreadyOffloadedWork_DoesNotTrigger() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        using System.IO.Compression;
        using System.Security.Cryptography;
        using System.Text.RegularExpressions;

        class C
        {
            private static readonly Regex Word = new("^[a-z]+$", RegexOptions.Compiled);
            private Regex? _lazy;

            async Task<int> M(string password, byte[] salt, byte[] data, RSAParameters parameters, string path)
            {
                await Task.Yield();
                var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1_000, HashAlgorithmName.SHA256, 32);
                var b = SHA256.HashData(data);
                var c = HMACSHA256.HashData(salt, data);
                using var ec = ECDsa.Create();
                using var small = RSA.Create(1024);
                using var lazy = RSA.Create();
                lazy.ImportParameters(parameters);
                using var imported = RSA.Create(2048);
                imported.ImportParameters(parameters);
                _lazy ??= new Regex("^[0-9]+$", RegexOptions.Compiled);
                using var fast = new GZipStream(new MemoryStream(), CompressionLevel.Optimal);
                using var file = new GZipStream(File.Create(path), CompressionLevel.SmallestSize);
                var plain = new Regex("^[a-z]+$");
                var d = await Task.Run(() => Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32));
                var e = await Task.Run(async () => { await Task.Yield(); return Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32); });
                foreach (var candidate in new[] { password, password + "!" })
                    b = Rfc2898DeriveBytes.Pbkdf2(candidate, salt, 600_000, HashAlgorithmName.SHA256, 32); // CONC010 reports the loop
                return a.Length + b.Length + c.Length + d.Length + e.Length + (Word.IsMatch(password) && plain.IsMatch(password) ? 1 : 0);
            }

            byte[] Sync(string password, byte[] salt) => Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);

            async Task<byte[]> Excluded(string password, byte[] salt)
            {
                await Task.Yield();
                return Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
            }
        }
        """,
        "concurrency_analyzers.excluded_apis = M:System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(System.String,System.Byte[],System.Int32,System.Security.Cryptography.HashAlgorithmName,System.Int32)");

    // An unknown iteration count is not small: reported. A call that cannot move into a lambda (span or out arguments)
    // is reported without a fix.
    [Fact]
    public Task UnknownCountsAndSpanArguments_Trigger_SpanCallHasNoFix() => VerifyCS.VerifyNoFixAsync(
        /* lang=c#-test */ """
        using System.IO.Compression;
        using System.Security.Cryptography;

        class C
        {
            async Task<int> M(ReadOnlyMemory<byte> input, byte[] output, string password, byte[] salt, int iterations, int bits)
            {
                await Task.Yield();
                {|#0:BrotliEncoder.TryCompress(input.Span, output, out var written, 11, 22)|};
                var key = {|#1:Rfc2898DeriveBytes.Pbkdf2(password.AsSpan(), salt, iterations, HashAlgorithmName.SHA256, 32)|};
                return written + key.Length;
            }
        }
        """,
        Heavy(0, "BrotliEncoder.TryCompress", "Brotli compression at quality 10–11", After),
        Heavy(1, "Rfc2898DeriveBytes.Pbkdf2", "PBKDF2 key derivation", After));

    // Konscious' Argon2id inherits GetBytes from its abstract base: the receiver's type decides, and names the call.
    [Fact]
    public Task InheritedMethodOfAListedType_Triggers() => VerifyCS.VerifyAnalyzerAsync(
        /* lang=c#-test */ """
        namespace Konscious.Security.Cryptography
        {
            public abstract class Argon2 : System.Security.Cryptography.DeriveBytes
            {
                public override byte[] GetBytes(int cb) => new byte[cb];
                public override void Reset() { }
            }

            public sealed class Argon2id : Argon2
            {
                public Argon2id(byte[] password) { }
            }
        }

        class Accounts
        {
            async Task<byte[]> HashAsync(byte[] password)
            {
                await Task.Yield();
                using var argon = new Konscious.Security.Cryptography.Argon2id(password);
                return {|#0:argon.GetBytes(32)|};
            }
        }
        """,
        Heavy(0, "Argon2id.GetBytes", "password hashing (Argon2)", After));
}
