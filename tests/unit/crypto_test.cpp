#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "crypto.hpp"
#include "error.hpp"

namespace onboard::crypto {
namespace {

std::string Repeat(char c, std::size_t n) { return std::string(n, c); }

TEST(Base64Url, EncodesTheRfc4648TestVectorsWithoutPadding) {
  const std::map<std::string, std::string> vectors = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64UrlEncode(plain), encoded) << plain;
    EXPECT_EQ(Base64UrlDecode(encoded), plain) << encoded;
  }
}

TEST(Base64Url, UsesTheUrlSafeAlphabetWhereStandardBase64UsesPlusAndSlash) {
  const std::string bytes("\xfb\xff", 2);
  EXPECT_EQ(Base64UrlEncode(bytes), "-_8");
  EXPECT_EQ(Base64Encode(bytes), "+/8=");
}

TEST(Base64, PadsToAMultipleOfFour) {
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
}

TEST(Base64Url, RoundTripsEveryLengthOfRandomBytes) {
  for (std::size_t n = 0; n <= 70; ++n) {
    const std::string bytes = RandomBytes(n);
    const std::string encoded = Base64UrlEncode(bytes);
    EXPECT_EQ(encoded.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(Base64UrlDecode(encoded), bytes) << "length " << n;
  }
}

TEST(Base64Url, DecodesPaddedInput) { EXPECT_EQ(Base64UrlDecode("Zg=="), "f"); }

// The decoder as it was before it worked in quads (one character at a time, bit by bit):
// std::nullopt where it threw.
std::optional<std::string> DecodeBitByBit(std::string_view text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const std::size_t v = kAlphabet.find(c == '+' ? '-' : c == '/' ? '_' : c);
    if (v == std::string::npos) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (bits >= 6) return std::nullopt;
  return out;
}

TEST(Base64Url, DecodesEveryInputAsTheBitByBitDecoderDid) {
  // Both alphabets, padding, and now and then a character of neither, at every length.
  const std::string chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=!. ";
  const std::string noise = RandomBytes(40 * 64 * 2);
  std::size_t at = 0;
  for (std::size_t length = 0; length < 40; ++length) {
    for (int round = 0; round < 64; ++round) {
      std::string text;
      for (std::size_t i = 0; i < length; ++i) {
        const auto r = static_cast<unsigned char>(noise[at++ % noise.size()]);
        text.push_back(r < 8 ? chars[64 + r % (chars.size() - 64)] : chars[r % 64]);
      }
      const std::optional<std::string> expected = DecodeBitByBit(text);
      try {
        const std::string got = Base64UrlDecode(text);
        EXPECT_EQ(std::optional<std::string>(got), expected) << "'" << text << "'";
      } catch (const AppError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
        EXPECT_EQ(expected, std::nullopt) << "refused '" << text << "'";
      }
    }
  }
}

TEST(Base64Url, RejectsCharactersOutsideTheAlphabet) {
  for (const char* bad : {"Zg!", "Z g", "Zm9v\n", "Zm.v"}) {
    try {
      Base64UrlDecode(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    }
  }
}

TEST(Base64Url, RejectsALengthThatCannotEncodeWholeBytes) {
  EXPECT_THROW(Base64UrlDecode("Z"), AppError);
  EXPECT_THROW(Base64UrlDecode("Zm9vY"), AppError);
}

TEST(Sha256, MatchesTheFips180KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, ReturnsThirtyTwoRawBytesWhoseHexIsSha256Hex) {
  const std::string raw = Sha256("abc");
  ASSERT_EQ(raw.size(), 32u);
  EXPECT_EQ(Hex(raw), Sha256Hex("abc"));
}

struct HmacVector {
  std::string key;
  std::string data;
  std::string hex;
};

TEST(HmacSha256, AnEmptyKeyIsItsOwnKeyNotThePreviousCallsOne) {
  const std::string keyed = Hex(HmacSha256("key", "The quick brown fox jumps over the lazy dog"));
  EXPECT_EQ(keyed, "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  EXPECT_EQ(Hex(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  EXPECT_EQ(Hex(HmacSha256("key", "The quick brown fox jumps over the lazy dog")), keyed);
}

TEST(HmacSha256, MatchesEveryFullLengthRfc4231TestCase) {
  std::string key4;
  for (int i = 1; i <= 25; ++i) key4.push_back(static_cast<char>(i));
  const std::vector<HmacVector> vectors = {
      {Repeat('\x0b', 20), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {Repeat('\xaa', 20), Repeat('\xdd', 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {key4, Repeat('\xcd', 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {Repeat('\xaa', 131), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {Repeat('\xaa', 131),
       "This is a test using a larger than block-size key and a larger than block-size data. The "
       "key needs to be "
       "hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    EXPECT_EQ(Hex(HmacSha256(vectors[i].key, vectors[i].data)), vectors[i].hex)
        << "test case " << i + 1;
  }
}

TEST(ConstantTimeEqual, IsTrueOnlyForIdenticalBytes) {
  EXPECT_TRUE(ConstantTimeEqual("", ""));
  EXPECT_TRUE(ConstantTimeEqual("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEqual("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEqual("secret", "Secret"));
  EXPECT_FALSE(ConstantTimeEqual("secret", "secre"));
  EXPECT_FALSE(ConstantTimeEqual("secret", std::string_view("secret\0", 7)));
  EXPECT_TRUE(ConstantTimeEqual(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEqual(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

TEST(RandomFromAlphabet, EmitsOnlyCharactersOfTheAlphabet) {
  for (const std::string alphabet :
       {"abc", "0123456789", "x", "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"}) {
    const std::string s = RandomFromAlphabet(alphabet, 500);
    ASSERT_EQ(s.size(), 500u);
    EXPECT_EQ(s.find_first_not_of(alphabet), std::string::npos) << alphabet << ": " << s;
  }
}

TEST(RandomFromAlphabet, UsesEveryCharacterEvenlyWithoutModuloBias) {
  // 200 characters: 256 % 200 = 56, so "byte % 200" would pick the first 56 characters
  // twice as often (about 1560 times each here instead of 1000).
  std::string alphabet;
  for (int c = 0x20; c < 0x20 + 200; ++c) alphabet.push_back(static_cast<char>(c));
  const std::string s = RandomFromAlphabet(alphabet, 200000);
  std::map<char, int> counts;
  for (char c : s) ++counts[c];
  ASSERT_EQ(counts.size(), alphabet.size());
  for (const auto& [c, n] : counts) {
    EXPECT_GT(n, 800) << "character " << int(static_cast<unsigned char>(c));
    EXPECT_LT(n, 1200) << "character " << int(static_cast<unsigned char>(c));
  }
}

TEST(RandomFromAlphabet, ReturnsAnEmptyStringForLengthZero) {
  EXPECT_EQ(RandomFromAlphabet("ab", 0), "");
}

TEST(RandomFromAlphabet, RefusesAnEmptyAlphabet) {
  EXPECT_THROW(RandomFromAlphabet("", 5), AppError);
}

TEST(RandomBytes, ReturnsTheRequestedLengthAndDifferentBytesEachTime) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(NewUuid, IsACanonicalLowerCaseVersion4Uuid) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string u = NewUuid();
    ASSERT_EQ(u.size(), 36u) << u;
    for (int dash : {8, 13, 18, 23}) EXPECT_EQ(u[dash], '-') << u;
    EXPECT_EQ(u[14], '4') << u;
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;
    EXPECT_EQ(u.find_first_not_of("0123456789abcdef-"), std::string::npos) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(Hex, EncodesBytesAsLowerCasePairs) {
  EXPECT_EQ(Hex(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  EXPECT_EQ(Hex(""), "");
}

TEST(Cleanse, EmptiesTheString) {
  std::string s = "password";
  Cleanse(s);
  EXPECT_TRUE(s.empty());
}

TEST(SecretString, MovingLeavesTheSourceEmpty) {
  SecretString a("onb_secret");
  SecretString b(std::move(a));
  EXPECT_EQ(b.reveal(), "onb_secret");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the behaviour under test
  SecretString c;
  c = std::move(b);
  EXPECT_EQ(c.reveal(), "onb_secret");
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace onboard::crypto
