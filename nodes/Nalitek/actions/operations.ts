import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../shared/router';
import * as adminBanUser from './admin/banUser.operation';
import * as adminGetStatistics from './admin/getStatistics.operation';
import * as adminGetUsers from './admin/getUsers.operation';
import * as adminUpdateQuota from './admin/updateQuota.operation';
import * as accountChangePassword from './account/changePassword.operation';
import * as accountGetProfile from './account/getProfile.operation';
import * as accountGetStats from './account/getStats.operation';
import * as accountUpdateProfile from './account/updateProfile.operation';
import * as apiKeyCreate from './apiKey/create.operation';
import * as apiKeyDelete from './apiKey/delete.operation';
import * as apiKeyGetMany from './apiKey/getMany.operation';
import * as batchCancel from './batch/cancel.operation';
import * as batchGenerate from './batch/generate.operation';
import * as batchGet from './batch/get.operation';
import * as batchImageToImage from './batch/imageToImage.operation';
import * as batchWaitForBatch from './batch/waitForBatch.operation';
import * as imageCreateTask from './image/createTask.operation';
import * as imageDelete from './image/delete.operation';
import * as imageGenerate from './image/generate.operation';
import * as imageGet from './image/get.operation';
import * as imageGetMany from './image/getMany.operation';
import * as imageGetTask from './image/getTask.operation';
import * as imageImageToImage from './image/imageToImage.operation';
import * as imageUpscale from './image/upscale.operation';
import * as imageWaitForTask from './image/waitForTask.operation';
import * as loraGetMany from './lora/getMany.operation';
import * as serviceGetStatus from './service/getStatus.operation';

/** resource → operation → its parameters and what runs, as listed in the node (router.ts runs them). */
export const operations: Record<
	string,
	Record<string, Operation & { description: INodeProperties[] }>
> = {
	image: {
		generate: imageGenerate,
		createTask: imageCreateTask,
		imageToImage: imageImageToImage,
		upscale: imageUpscale,
		getTask: imageGetTask,
		get: imageGet,
		getMany: imageGetMany,
		delete: imageDelete,
		waitForTask: imageWaitForTask,
	},
	batch: {
		generate: batchGenerate,
		imageToImage: batchImageToImage,
		get: batchGet,
		cancel: batchCancel,
		waitForBatch: batchWaitForBatch,
	},
	lora: { getMany: loraGetMany },
	account: {
		getStats: accountGetStats,
		getProfile: accountGetProfile,
		updateProfile: accountUpdateProfile,
		changePassword: accountChangePassword,
	},
	apiKey: { getMany: apiKeyGetMany, create: apiKeyCreate, delete: apiKeyDelete },
	admin: {
		getUsers: adminGetUsers,
		getStatistics: adminGetStatistics,
		updateQuota: adminUpdateQuota,
		banUser: adminBanUser,
	},
	service: { getStatus: serviceGetStatus },
};
