// Which passwords are too easy to guess for a new account or a password change: one that holds the
// username or the full name (with or without diacritics), or one zxcvbn scores below
// MIN_PASSWORD_SCORE with the account's own words as its user dictionary. Pure, no I/O.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/** zxcvbn's 3: "safely unguessable", which resists an offline attack on a slow hash for a while. */
export const MIN_PASSWORD_SCORE = 3;

/** Why a password is refused; each has a message `validation.password.<weakness>`. */
export type PasswordWeakness = 'containsUsername' | 'containsName' | 'repeated' | 'sequence' | 'common' | 'dates' | 'guessable';

// Common Vietnamese password words the English-centred lists miss ("mật khẩu" is "password").
// The app's own name is left out: the documented demo password is built on it.
const VIETNAMESE_COMMON = ['matkhau', 'anhyeuem', 'emyeuanh', 'yeuem', 'vietnam', 'hanoi', 'saigon', 'hochiminh', 'quantri', 'xinchao'];

let zxcvbn: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  // Built on first use: ranking the dictionaries takes a noticeable moment at start.
  zxcvbn ??= new ZxcvbnFactory({ dictionary: { ...dictionary, vietnamese: VIETNAMESE_COMMON }, graphs: adjacencyGraphs, maxLength: 64 });
  return zxcvbn;
}

/** Lower case, no diacritics (đ -> d), letters and digits only: "Trần Thị Bích" -> "tranthibich". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

// zxcvbn's warnings (its default "translations" are plain keys) grouped into the reasons we explain.
const WARNING_REASONS: Record<string, PasswordWeakness> = {
  simpleRepeat: 'repeated',
  extendedRepeat: 'repeated',
  sequences: 'sequence',
  straightRow: 'sequence',
  keyPattern: 'sequence',
  topTen: 'common',
  topHundred: 'common',
  common: 'common',
  similarToCommon: 'common',
  pwned: 'common',
  dates: 'dates',
  recentYears: 'dates',
  userInputs: 'containsName',
};

/** Why the password is too weak for this account, or undefined when it is strong enough. */
export function passwordWeakness(password: string, account: { username: string; fullName: string }): PasswordWeakness | undefined {
  const folded = fold(password);
  const username = fold(account.username);
  const name = fold(account.fullName);
  // A short username ("an") is a word inside many good passwords: only equal to it counts then.
  if (username && (username.length >= 4 ? folded.includes(username) : folded === username)) return 'containsUsername';
  if (name.length >= 4 && folded.includes(name)) return 'containsName';
  const nameParts = account.fullName.split(/\s+/).map(fold).filter((part) => part.length >= 3);
  const userInputs = [account.username, username, account.fullName.toLowerCase(), name, ...nameParts];
  const result = estimator().check(password, userInputs);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  return WARNING_REASONS[result.feedback.warning ?? ''] ?? 'guessable';
}
