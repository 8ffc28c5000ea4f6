// "Tài khoản của tôi": every signed-in user's own page, for their notification e-mails, language and password.
import { Router, type Request } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { getUser } from '../users/repository.ts';
import { submitForm } from '../web/forms.ts';
import { LANGUAGES, translate } from '../web/i18n/index.ts';
import { actorOf, currentUser, LANGUAGE_COOKIE, languageOf, takeFlash } from '../web/request.ts';
import { ownSettingsFormSchema, passwordChangeSchema } from './schemas.ts';
import { changeOwnPassword, holderOf, updateOwnSettings } from './service.ts';

export function accountPages(db: Database): Router {
  const router = Router();
  router.use('/account', requireLogin);

  const pageModel = (req: Request) => async () => {
    const language = languageOf(req);
    const user = currentUser(req);
    return {
      title: translate(language, 'account.title'),
      who: translate(language, 'account.who', { name: user.fullName, role: translate(language, `role.${user.role}`), unit: user.unitName }),
      username: translate(language, 'account.username', { username: user.username }),
      languages: LANGUAGES.map((value) => ({ value, label: translate(language, `language.${value}`) })),
    };
  };

  /** The settings form's values as stored. */
  const storedSettings = async (req: Request) => {
    const account = await getUser(db, currentUser(req).id, ALL_UNITS);
    return { email: account.email ?? '', emailNotifications: account.email_notifications, language: account.language };
  };

  router.get('/account', async (req, res) => {
    res.render('account/show', { ...(await pageModel(req)()), values: await storedSettings(req), flash: takeFlash(req) });
  });

  router.post('/account', async (req, res) => {
    await submitForm({
      req, res, schema: ownSettingsFormSchema, view: 'account/show', labels: 'account', viewModel: pageModel(req),
      action: async (input) => {
        const user = await updateOwnSettings(db, holderOf(currentUser(req).id, actorOf(req)), input);
        // The language chosen here is the account's: a switch made before with the link gives way to it.
        res.clearCookie(LANGUAGE_COOKIE);
        return { redirectTo: '/account', flash: translate(user.language, 'account.saved') };
      },
    });
  });

  router.post('/account/password', async (req, res) => {
    await submitForm({
      req, res, schema: passwordChangeSchema, view: 'account/show', labels: 'account', viewModel: pageModel(req),
      // A refused password shows the settings form above it as stored (the passwords are never re-shown).
      prepare: async (sent) => ({ body: sent, values: await storedSettings(req), problems: [] }),
      action: async (input) => {
        await changeOwnPassword(db, holderOf(currentUser(req).id, actorOf(req)), input);
        // Every session of the account has ended, this one too: a new one carries the message to the login page.
        const language = languageOf(req);
        await new Promise<void>((resolve, reject) => req.logout((error) => (error ? reject(error) : resolve())));
        return { redirectTo: '/login', flash: translate(language, 'account.passwordChanged') };
      },
    });
  });

  return router;
}
