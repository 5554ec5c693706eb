/*
 * password.c: the password policy: at least 8 characters (UTF-8
 * characters, not bytes), at most 128 bytes, and characters from at least
 * 3 of the 4 classes upper-case, lower-case, digit, symbol.
 */
#include "util/common.h"
#include "core/password.h"
#include "core/text.h"

#define PW_MIN_CHARS 8
#define PW_MAX_BYTES 128

/*
 * Any character that is not an ASCII letter or digit is a symbol, so
 * passphrases in Chinese count their Chinese characters as symbols.
 */
const char *password_policy_check(const char *pw)
{
	bool upper = false, lower = false, digit = false, symbol = false;

	if (!pw || !*pw)
		return "密码不能为空";
	if (strlen(pw) > PW_MAX_BYTES)
		return "密码过长（不能超过128字节）";
	switch (text_check(pw, SIZE_MAX, false)) {
	case TEXT_OK:
		break;
	case TEXT_BAD_UTF8:
		return "密码包含无效的字符编码";
	default:
		return "密码不能包含控制字符";
	}
	if (text_chars(pw) < PW_MIN_CHARS)
		return "密码长度至少为8个字符";
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			upper = true;
		else if (*p >= 'a' && *p <= 'z')
			lower = true;
		else if (*p >= '0' && *p <= '9')
			digit = true;
		else
			symbol = true;
	}
	if (upper + lower + digit + symbol < 3)
		return "密码须包含大写字母、小写字母、数字和符号中的至少3类";
	return NULL;
}
