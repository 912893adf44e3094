import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTaskOperation } from '../../../shared/operations';
import { generateAdapter } from '../../adapter';
import { imageIdField } from '../../descriptions';
import { readOptions } from '../../fields';

export const description: INodeProperties[] = updateDisplayOptions({ show: { resource: ['image'], operation: ['getStatus'] } }, [
	imageIdField,
	readOptions,
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await executeTaskOperation(this, generateAdapter, 'getTask', { taskIdParameter: 'imageId' });
}
